namespace Keel.Cli.Infrastructure;

/// <summary>One example in a command's help: a short comment and a command line that parses against the tree.</summary>
internal sealed record CommandExample(string Comment, string Line);

/// <summary>
/// The examples `--help` shows under "Examples:", by command path ("models versions"). Kept in one place so a
/// test can parse every line against the real tree: an example that stops parsing fails the build.
/// </summary>
internal static class CommandExamples
{
    public static readonly IReadOnlyDictionary<string, CommandExample[]> All = new Dictionary<string, CommandExample[]>(StringComparer.Ordinal)
    {
        [""] =
        [
            new("Train, register and serve a sample model, then look around", "keel quickstart"),
            new("Run a tracking server that MLflow clients can log to", "keel server --port 5000"),
            new("Open the web UI", "keel ui"),
        ],
        ["quickstart"] =
        [
            new("Run the whole loop on the embedded store in ~/.keel", "keel quickstart"),
            new("Keep the quickstart apart from your own data", "keel quickstart --data-dir /tmp/keel-quickstart"),
        ],
        ["server"] =
        [
            new("Serve the embedded store on port 5000 (MLflow clients: MLFLOW_TRACKING_URI=http://localhost:5000)", "keel server --port 5000"),
            new("Use PostgreSQL for metadata and S3 for artifacts", "keel server --backend-store-uri postgresql://keel@db/keel --artifacts-destination s3://ml-artifacts/keel"),
            new("Require sign-in (create the first admin with `keel users create`)", "keel server --auth --port 5000"),
        ],
        ["ui"] =
        [
            new("Open the UI on the embedded store, starting a server if none runs", "keel ui"),
            new("Open a model's page on a running server", "keel ui --tracking-uri http://localhost:5000 --view models/breast-cancer"),
        ],
        ["login"] =
        [
            new("Sign in to a server and save a token for later commands", "keel login --tracking-uri https://keel.example.com --username alice"),
            new("Sign in from a script, the password on standard input", "keel login --tracking-uri https://keel.example.com --username ci --password-stdin"),
        ],
        ["logout"] =
        [
            new("Revoke and forget the saved token", "keel logout --tracking-uri https://keel.example.com"),
        ],
        ["experiments"] =
        [
            new("List experiments", "keel experiments list"),
            new("Create one", "keel experiments create churn"),
        ],
        ["experiments list"] =
        [
            new("List active experiments", "keel experiments list"),
            new("Deleted ones too, as JSON", "keel experiments list --view All --output json"),
        ],
        ["experiments create"] =
        [
            new("Create an experiment", "keel experiments create churn"),
            new("With its artifacts kept in S3", "keel experiments create churn --artifact-location s3://ml-artifacts/churn"),
        ],
        ["experiments delete"] =
        [
            new("Delete experiment 3 (restore brings it back)", "keel experiments delete 3"),
        ],
        ["experiments restore"] =
        [
            new("Bring back deleted experiment 3", "keel experiments restore 3"),
        ],
        ["runs"] =
        [
            new("The best runs of experiment 1 by AUC", "keel runs list --experiment-id 1 --order-by \"metrics.auc DESC\""),
            new("Two runs side by side", "keel runs compare 5f2c0e 9a41bd"),
        ],
        ["runs list"] =
        [
            new("The runs of experiment 1", "keel runs list --experiment-id 1"),
            new("Finished runs with AUC above 0.9, best first", "keel runs list --experiment-id 1 --filter \"metrics.auc > 0.9 and attributes.status = 'FINISHED'\" --order-by \"metrics.auc DESC\""),
        ],
        ["runs show"] =
        [
            new("Parameters, metrics, tags and artifacts of one run", "keel runs show 5f2c0e7d1b8a4e6c9d3f2a1b0c9e8d7f"),
        ],
        ["runs compare"] =
        [
            new("Compare two runs' parameters and metrics", "keel runs compare 5f2c0e7d1b8a4e6c9d3f2a1b0c9e8d7f 9a41bd2e3c4f5a6b7c8d9e0f1a2b3c4d"),
        ],
        ["train"] =
        [
            new("Search models for a CSV and register the best one", "keel train --data data/breast_cancer.csv --label diagnosis --task binary --register-as breast-cancer"),
            new("Train from a spec file", "keel train examples/train/breast_cancer.yaml"),
            new("Five-fold cross-validation within a two-minute budget", "keel train --data data/breast_cancer.csv --label diagnosis --task binary --kfold 5 --time-budget 120"),
        ],
        ["models"] =
        [
            new("Registered models", "keel models list"),
            new("Point the champion alias at version 3", "keel models alias breast-cancer champion 3"),
        ],
        ["models list"] =
        [
            new("Registered models", "keel models list"),
            new("Those whose name starts with churn", "keel models list --filter \"name LIKE 'churn%'\""),
        ],
        ["models show"] =
        [
            new("A model with its aliases and latest versions", "keel models show breast-cancer"),
        ],
        ["models versions"] =
        [
            new("The versions of a model, newest first", "keel models versions breast-cancer"),
        ],
        ["models alias"] =
        [
            new("Point the champion alias at version 3", "keel models alias breast-cancer champion 3"),
            new("Delete the alias", "keel models alias breast-cancer champion --delete"),
        ],
        ["models stage"] =
        [
            new("Move version 3 to Production, archiving the version there now", "keel models stage breast-cancer 3 Production --archive-existing"),
        ],
        ["models download"] =
        [
            new("Copy the champion's files to a folder", "keel models download models:/breast-cancer@champion --dest ./model"),
        ],
        ["data"] =
        [
            new("Version a CSV", "keel data add data/breast_cancer.csv --name breast-cancer"),
            new("What changed between two versions", "keel data diff datasets:/breast-cancer/1 datasets:/breast-cancer/2"),
        ],
        ["data add"] =
        [
            new("Add a file as the next version of a dataset", "keel data add data/breast_cancer.csv --name breast-cancer"),
            new("Refuse content that fails a suite's critical expectations", "keel data add data/breast_cancer.csv --name breast-cancer --suite data/breast_cancer.suite.json"),
        ],
        ["data list"] =
        [
            new("Datasets with their latest version", "keel data list"),
        ],
        ["data show"] =
        [
            new("Provenance, schema and profile of the latest version", "keel data show datasets:/breast-cancer@latest"),
        ],
        ["data versions"] =
        [
            new("The last ten versions", "keel data versions breast-cancer --max 10"),
        ],
        ["data get"] =
        [
            new("Write version 2's files to a folder", "keel data get datasets:/breast-cancer/2 --out ./breast-cancer"),
        ],
        ["data diff"] =
        [
            new("Files, columns and rows changed between versions 1 and 2", "keel data diff datasets:/breast-cancer/1 datasets:/breast-cancer/2"),
        ],
        ["data alias"] =
        [
            new("Point the golden alias at version 2", "keel data alias breast-cancer golden 2"),
        ],
        ["data validate"] =
        [
            new("Check a file against a suite, with an HTML report", "keel data validate data/breast_cancer.csv --suite data/breast_cancer.suite.json --report report.html"),
        ],
        ["data suggest"] =
        [
            new("Draft a suite from the latest version", "keel data suggest datasets:/breast-cancer@latest --out breast_cancer.suite.json"),
        ],
        ["features"] =
        [
            new("See what applying a definitions file would change", "keel features plan examples/feature-store/features.yaml"),
            new("Apply it", "keel features apply examples/feature-store/features.yaml"),
        ],
        ["features apply"] =
        [
            new("Apply definitions, asking before changes", "keel features apply examples/feature-store/features.yaml"),
            new("From a script, without asking", "keel features apply examples/feature-store/features.yaml --yes"),
        ],
        ["features plan"] =
        [
            new("What apply would change, without changing it", "keel features plan examples/feature-store/features.yaml"),
        ],
        ["features list"] =
        [
            new("Feature views, on-demand views and services", "keel features list"),
        ],
        ["features show"] =
        [
            new("A view's definition as YAML", "keel features show driver_stats --yaml"),
        ],
        ["features versions"] =
        [
            new("Every version of a view", "keel features versions driver_stats"),
        ],
        ["features get-historical"] =
        [
            new("Point-in-time training data for a feature service", "keel features get-historical --entities entities.csv --features driver_activity --output train.parquet"),
            new("Named features, the result kept as a dataset", "keel features get-historical --entities entities.csv --features driver_stats:conv_rate,driver_stats:acc_rate --output train.csv --dataset driver-train"),
        ],
        ["features materialize"] =
        [
            new("Load every online view into the online store", "keel features materialize"),
            new("One view, for December 2026", "keel features materialize --views driver_stats --start 2026-12-01T00:00:00Z --end 2027-01-01T00:00:00Z"),
        ],
        ["features materialize-incremental"] =
        [
            new("Load what is new since the last run", "keel features materialize-incremental"),
        ],
        ["features online"] =
        [
            new("Online features of two drivers", "keel features online --features driver_stats:conv_rate,driver_stats:acc_rate --entity driver_id=1001,1002"),
            new("A feature service's features", "keel features online --feature-service driver_activity --entity driver_id=1001"),
        ],
        ["lineage"] =
        [
            new("Where a model version came from", "keel lineage models:/breast-cancer/3 --direction upstream"),
            new("What a dataset version fed, drawn with Graphviz", "keel lineage datasets:/breast-cancer/2 --format svg --out lineage.svg"),
        ],
        ["endpoints"] =
        [
            new("Serve the champion", "keel endpoints create breast-cancer --model models:/breast-cancer@champion"),
            new("Roll out version 4 progressively", "keel endpoints canary breast-cancer --model models:/breast-cancer/4 --wait"),
        ],
        ["endpoints create"] =
        [
            new("Serve a model version", "keel endpoints create breast-cancer --model models:/breast-cancer/3"),
            new("In production, hashing an input column in the prediction log", "keel endpoints create churn --model models:/churn@champion --env prod --sensitive-column email=hash"),
        ],
        ["endpoints list"] =
        [
            new("Endpoints with their routes and rollout state", "keel endpoints list"),
        ],
        ["endpoints show"] =
        [
            new("Weights, live figures and rollout history", "keel endpoints show breast-cancer"),
        ],
        ["endpoints canary"] =
        [
            new("Roll out version 4 at 10, 50 then 100 percent, five minutes per step", "keel endpoints canary breast-cancer --model models:/breast-cancer/4"),
            new("Faster steps, waiting for the outcome", "keel endpoints canary breast-cancer --model models:/breast-cancer/4 --steps 25,100 --hold 30s --wait"),
        ],
        ["endpoints traffic"] =
        [
            new("A/B test: version 4 gets 50 percent", "keel endpoints traffic breast-cancer --mode ab_test --model models:/breast-cancer/4 --weight 50"),
            new("Shadow version 4: it sees every request, its answers are only logged", "keel endpoints traffic breast-cancer --mode shadow --model models:/breast-cancer/4"),
        ],
        ["endpoints promote"] =
        [
            new("Promote the challenger now", "keel endpoints promote breast-cancer --reason \"metrics reviewed\""),
        ],
        ["endpoints abort"] =
        [
            new("Stop the rollout; the champion takes all traffic", "keel endpoints abort breast-cancer --reason \"latency\""),
        ],
        ["endpoints rollback"] =
        [
            new("Go back to the previous version", "keel endpoints rollback breast-cancer"),
        ],
        ["endpoints delete"] =
        [
            new("Stop serving and delete an endpoint", "keel endpoints delete breast-cancer"),
        ],
        ["predict"] =
        [
            new("Score a CSV with the champion (writes data/breast_cancer.predictions.csv)", "keel predict --model models:/breast-cancer@champion --input data/breast_cancer.csv"),
            new("Score a dataset version in parts spread over keel workers", "keel predict --model models:/breast-cancer/3 --input datasets:/breast-cancer/2 --distributed"),
        ],
        ["package"] =
        [
            new("A standalone scorer with its Dockerfile", "keel package models:/breast-cancer@champion --output ./scorer"),
            new("For ARM Linux", "keel package models:/breast-cancer/3 --output ./scorer-arm --runtime linux-arm64"),
        ],
        ["deploy"] =
        [
            new("Kubernetes manifests for an endpoint", "keel deploy kubernetes breast-cancer --output ./k8s"),
        ],
        ["deploy kubernetes"] =
        [
            new("Deployment, Service, autoscaler and ConfigMap", "keel deploy kubernetes breast-cancer --output ./k8s --namespace ml"),
            new("A KServe InferenceService instead", "keel deploy kubernetes breast-cancer --output ./kserve --format kserve"),
        ],
        ["monitor"] =
        [
            new("An endpoint's figures per hour", "keel monitor show breast-cancer --window 1h"),
            new("Drift between training data and last week's traffic", "keel monitor drift --reference train.csv --current last-week.csv"),
        ],
        ["monitor drift"] =
        [
            new("Drift between two tables, with an HTML report", "keel monitor drift --reference train.csv --current last-week.csv --report drift.html"),
            new("PSI on every column", "keel monitor drift --reference datasets:/breast-cancer/1 --current datasets:/breast-cancer/2 --method psi"),
        ],
        ["monitor show"] =
        [
            new("Traffic, errors, latency, drift and quality per hour", "keel monitor show breast-cancer --window 1h"),
        ],
        ["monitor feedback"] =
        [
            new("Send ground-truth labels for logged predictions", "keel monitor feedback labels.csv --endpoint breast-cancer"),
        ],
        ["alerts"] =
        [
            new("Open and recent alerts", "keel alerts list"),
            new("Create or replace rules from a file", "keel alerts apply alerts.yaml"),
        ],
        ["alerts apply"] =
        [
            new("Create or replace the rules in a file", "keel alerts apply alerts.yaml"),
        ],
        ["alerts list"] =
        [
            new("Open alerts of one endpoint", "keel alerts list --endpoint breast-cancer --state open"),
        ],
        ["alerts show"] =
        [
            new("An alert's state changes and webhook deliveries", "keel alerts show 12"),
        ],
        ["alerts ack"] =
        [
            new("Acknowledge alert 12", "keel alerts ack 12 --by alice"),
        ],
        ["alerts rules"] =
        [
            new("The rules on one endpoint", "keel alerts rules --endpoint breast-cancer"),
        ],
        ["alerts delete-rule"] =
        [
            new("Delete a rule (its open alert resolves)", "keel alerts delete-rule high-latency"),
        ],
        ["pipelines"] =
        [
            new("Write a retraining pipeline, store it, run it", "keel pipelines init --dataset breast-cancer --label diagnosis --endpoint breast-cancer"),
            new("Run it and follow it to the end", "keel pipelines run retrain-breast-cancer --wait"),
        ],
        ["pipelines init"] =
        [
            new("A retraining pipeline for an endpoint", "keel pipelines init --dataset breast-cancer --label diagnosis --endpoint breast-cancer"),
        ],
        ["pipelines apply"] =
        [
            new("Store a definition (a new version if it changed)", "keel pipelines apply retrain-breast-cancer.yaml"),
        ],
        ["pipelines list"] =
        [
            new("Pipelines with their steps and triggers", "keel pipelines list"),
        ],
        ["pipelines show"] =
        [
            new("A pipeline's parameters, triggers and DAG", "keel pipelines show retrain-breast-cancer"),
        ],
        ["pipelines run"] =
        [
            new("Start a run with a parameter and follow it", "keel pipelines run retrain-breast-cancer --param trials=10 --wait"),
        ],
        ["pipelines plan"] =
        [
            new("Which steps would run and which come from the cache", "keel pipelines plan retrain-breast-cancer"),
        ],
        ["pipelines runs"] =
        [
            new("Recent runs of a pipeline", "keel pipelines runs --pipeline retrain-breast-cancer"),
            new("The steps of run 7", "keel pipelines runs 7"),
        ],
        ["pipelines logs"] =
        [
            new("Follow the train step's log of run 7", "keel pipelines logs 7 --step train --follow"),
        ],
        ["pipelines cancel"] =
        [
            new("Cancel run 7", "keel pipelines cancel 7 --reason \"wrong dataset\""),
        ],
        ["pipelines step-types"] =
        [
            new("The step types a pipeline can use", "keel pipelines step-types"),
        ],
        ["worker"] =
        [
            new("Run queued jobs from a server, four at a time", "keel worker --tracking-uri http://localhost:5000 --concurrency 4"),
            new("Only batch scoring parts", "keel worker --kinds batch-score"),
        ],
        ["environments"] =
        [
            new("Policies and assignments", "keel environments list"),
            new("Require approval in prod, valid for a day", "keel environments set prod --requires-approval true --ttl-hours 24"),
        ],
        ["environments list"] =
        [
            new("Each environment's policy and its resources", "keel environments list"),
        ],
        ["environments set"] =
        [
            new("Require a second person's approval in prod", "keel environments set prod --requires-approval true"),
        ],
        ["environments assign"] =
        [
            new("Put an endpoint in prod", "keel environments assign endpoint churn prod"),
            new("Put every model's champion alias in prod", "keel environments assign model_alias \"*@champion\" prod"),
        ],
        ["environments unassign"] =
        [
            new("Return an endpoint to its default environment", "keel environments unassign endpoint churn"),
        ],
        ["approvals"] =
        [
            new("Pending approvals", "keel approvals list --state pending"),
            new("Approve request 4", "keel approvals approve 4 --comment \"metrics reviewed\""),
        ],
        ["approvals list"] =
        [
            new("Pending approvals in prod", "keel approvals list --state pending --environment prod"),
        ],
        ["approvals show"] =
        [
            new("The change, its evidence and the decision", "keel approvals show 4"),
        ],
        ["approvals approve"] =
        [
            new("Approve request 4", "keel approvals approve 4 --comment \"metrics reviewed\""),
        ],
        ["approvals reject"] =
        [
            new("Reject request 4, saying why", "keel approvals reject 4 --comment \"fairness check failed\""),
        ],
        ["users"] =
        [
            new("Make the first admin on a server's data directory", "keel users create admin --admin --data-dir /var/lib/keel"),
            new("List users", "keel users list"),
        ],
        ["users create"] =
        [
            new("The first admin, without a server", "keel users create admin --admin --data-dir /var/lib/keel"),
            new("A user on a running server, the password on standard input", "keel users create bob --password-stdin --tracking-uri https://keel.example.com"),
        ],
        ["users list"] =
        [
            new("Users by name", "keel users list"),
        ],
        ["users delete"] =
        [
            new("Delete bob with his tokens and permissions", "keel users delete bob"),
        ],
        ["users set-admin"] =
        [
            new("Make bob an admin", "keel users set-admin bob true"),
        ],
        ["users set-password"] =
        [
            new("Set bob's password from standard input", "keel users set-password bob --password-stdin"),
        ],
        ["tokens"] =
        [
            new("A token for CI, valid 30 days", "keel tokens create ci --expires-in-days 30"),
        ],
        ["tokens create"] =
        [
            new("A token for CI, valid 30 days (printed once)", "keel tokens create ci --expires-in-days 30"),
        ],
        ["tokens list"] =
        [
            new("Everyone's tokens (admins)", "keel tokens list --all"),
        ],
        ["tokens revoke"] =
        [
            new("Revoke token 3", "keel tokens revoke 3"),
        ],
        ["groups"] =
        [
            new("Add bob to the data-science group", "keel groups add-member data-science bob"),
        ],
        ["groups add-member"] =
        [
            new("Add bob to data-science (created on first use)", "keel groups add-member data-science bob"),
        ],
        ["groups remove-member"] =
        [
            new("Remove bob from data-science", "keel groups remove-member data-science bob"),
        ],
        ["groups list"] =
        [
            new("Groups bob belongs to", "keel groups list --user bob"),
        ],
        ["roles"] =
        [
            new("Let a group deploy in staging", "keel roles set group:data-science staging deployer"),
        ],
        ["roles set"] =
        [
            new("Let a group deploy in staging", "keel roles set group:data-science staging deployer"),
            new("Make alice a viewer everywhere", "keel roles set user:alice \"*\" viewer"),
        ],
        ["roles remove"] =
        [
            new("Take bob's role in prod away", "keel roles remove user:bob prod"),
        ],
        ["roles list"] =
        [
            new("Every role binding", "keel roles list"),
        ],
        ["permissions"] =
        [
            new("Let bob edit experiment 1", "keel permissions grant --user bob --experiment-id 1 --permission EDIT"),
        ],
        ["permissions grant"] =
        [
            new("Let bob edit experiment 1", "keel permissions grant --user bob --experiment-id 1 --permission EDIT"),
            new("Let bob manage a registered model", "keel permissions grant --user bob --model churn --permission MANAGE"),
        ],
        ["permissions get"] =
        [
            new("bob's permission on a model", "keel permissions get --user bob --model churn"),
        ],
        ["permissions update"] =
        [
            new("Lower bob to read-only", "keel permissions update --user bob --experiment-id 1 --permission READ"),
        ],
        ["permissions revoke"] =
        [
            new("Remove bob's permission on experiment 1", "keel permissions revoke --user bob --experiment-id 1"),
        ],
        ["audit"] =
        [
            new("Check nobody edited the audit log", "keel audit verify"),
            new("Which version served churn at 14:00", "keel audit at 2026-12-02T14:00:00Z --endpoint churn"),
        ],
        ["audit verify"] =
        [
            new("Check the hash chain", "keel audit verify"),
        ],
        ["audit log"] =
        [
            new("alice's changes since December 1", "keel audit log --actor alice --since 2026-12-01T00:00:00Z"),
        ],
        ["audit at"] =
        [
            new("Which version served churn at 14:00 UTC, and who approved it", "keel audit at 2026-12-02T14:00:00Z --endpoint churn"),
        ],
        ["audit export"] =
        [
            new("Every event as JSON Lines for an auditor", "keel audit export --output audit.jsonl"),
        ],
        ["doctor"] =
        [
            new("Check the data directory, the stores and the environment", "keel doctor"),
            new("Check a PostgreSQL store and an S3 artifact store before starting a server on them", "keel doctor --backend-store-uri postgresql://keel@db/keel --artifacts-destination s3://ml/keel"),
            new("Is the server up, and which version is it?", "keel doctor --check server --tracking-uri http://keel:5000"),
            new("Every finding as JSON, for a script", "keel doctor -o json"),
        ],
        ["completion"] =
        [
            new("Complete keel in bash (new shells)", "keel completion bash > ~/.local/share/bash-completion/completions/keel"),
            new("In zsh (with fpath=(~/.zfunc $fpath) in ~/.zshrc)", "keel completion zsh > ~/.zfunc/_keel"),
            new("In PowerShell", "keel completion pwsh >> $PROFILE"),
        ],
    };
}
