// Runs before the first paint (a blocking script in <head>), so a dark theme never flashes light.
try { document.documentElement.dataset.theme = localStorage.getItem('keel.theme') || 'system'; } catch (e) { /* storage blocked: system theme */ }
