using System.Globalization;
using System.Text;

namespace Keel.Client.Internal;

/// <summary>
/// MLflow's page-token format, base64 of <c>{"offset": N}</c> (Python's json.dumps spacing), so the
/// token a Keel client sends is the one an MLflow server would have issued for the same offset.
/// Kept private to the SDK because the SDK depends on Keel.Core only.
/// </summary>
internal static class PageTokens
{
    public static string? FromOffset(int offset) =>
        offset <= 0
            ? null
            : Convert.ToBase64String(Encoding.UTF8.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"{{\"offset\": {offset}}}")));
}
