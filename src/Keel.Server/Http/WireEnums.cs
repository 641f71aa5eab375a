using Keel.Core.Errors;
using Keel.Core.Tracking;

namespace Keel.Server.Http;

/// <summary>Proto enum values as they arrive on the wire: names, or numbers (sent as strings or numbers).</summary>
internal static class WireEnums
{
    public static ViewType? ParseViewType(string? value, string field) => value switch
    {
        null or "" => null,
        "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
        "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
        "ALL" or "3" => ViewType.All,
        _ => throw KeelException.InvalidParameter($"Invalid value {value} for parameter '{field}' supplied."),
    };
}
