using System.Globalization;
using Keel.Core.Registry;
using Keel.Core.Serving;

namespace Keel.Application;

/// <summary>Pins <c>models:/</c> references through the registry; <c>runs:/</c> URIs are immutable already.</summary>
public sealed class RegistryModelPinner(IModelRegistryStore registry) : IModelPinner
{
    public async Task<string> PinAsync(string modelUri, CancellationToken cancellationToken)
    {
        var parsed = ModelUri.Parse(modelUri);
        if (parsed.Kind is ModelUriKind.Run or ModelUriKind.Version)
        {
            return modelUri;
        }

        var version = await ModelUriResolver.FindVersionAsync(registry, parsed, cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"models:/{version.Name}/{version.Version}");
    }
}
