using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Application.Validation;

/// <summary>Required fields and size limits of logged dataset inputs (MLflow's <c>_validate_dataset_inputs</c>).</summary>
internal static class DatasetRules
{
    public static void Validate(DatasetInput input)
    {
        var d = input.Dataset ?? throw KeelException.MissingParameter("dataset");
        Ids.Require(d.Name, "name");
        Ids.Require(d.Digest, "digest");
        Ids.Require(d.SourceType, "source_type");
        Ids.Require(d.Source, "source");
        Limits.CheckLength("Dataset name", d.Name, RequestLimits.MaxDatasetNameLength);
        Limits.CheckLength("Dataset digest", d.Digest, RequestLimits.MaxDatasetDigestLength);
        Limits.CheckLength("Dataset schema", d.Schema, RequestLimits.MaxDatasetSchemaLength);
        Limits.CheckLength("Dataset source", d.Source, RequestLimits.MaxDatasetSourceLength);
        Limits.CheckLength("Dataset profile", d.Profile, RequestLimits.MaxDatasetProfileLength);
        foreach (var tag in input.Tags ?? [])
        {
            Ids.Require(tag.Key, "key");
            if (tag.Value is null)
            {
                throw KeelException.MissingParameter("value");
            }

            Limits.CheckLength("Input tag key", tag.Key, RequestLimits.MaxInputTagKeyLength);
            Limits.CheckLength("Input tag value", tag.Value, RequestLimits.MaxInputTagValueLength);
        }
    }
}
