using Keel.Core.Errors;
using Keel.Core.Tracking;

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
        Limits.CheckLength("Dataset name", d.Name, Limits.MaxDatasetNameLength);
        Limits.CheckLength("Dataset digest", d.Digest, Limits.MaxDatasetDigestLength);
        Limits.CheckLength("Dataset schema", d.Schema, Limits.MaxDatasetSchemaLength);
        Limits.CheckLength("Dataset source", d.Source, Limits.MaxDatasetSourceLength);
        Limits.CheckLength("Dataset profile", d.Profile, Limits.MaxDatasetProfileLength);
        foreach (var tag in input.Tags ?? [])
        {
            Ids.Require(tag.Key, "key");
            if (tag.Value is null)
            {
                throw KeelException.MissingParameter("value");
            }

            Limits.CheckLength("Input tag key", tag.Key, Limits.MaxInputTagKeyLength);
            Limits.CheckLength("Input tag value", tag.Value, Limits.MaxInputTagValueLength);
        }
    }
}
