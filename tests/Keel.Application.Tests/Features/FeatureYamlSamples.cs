namespace Keel.Application.Tests.Features;

internal static class FeatureYamlSamples
{
    // The brief's driver stats example, as Feast's quickstart writes it.
    public const string Driver = """
        entities:
          - {name: driver, join_keys: [driver_id]}
        sources:
          - {name: driver_stats_source, path: data/driver_stats.parquet, timestamp_field: event_timestamp, created_timestamp_column: created}
        feature_views:
          - name: driver_hourly_stats
            entities: [driver]
            source: driver_stats_source
            ttl: 1d
            features:
              - {name: conv_rate, dtype: Float32}
              - {name: acc_rate, dtype: Float32}
              - {name: avg_daily_trips, dtype: Int64}
        on_demand_feature_views:
          - name: transformed_conv_rate
            sources: [driver_hourly_stats]
            request_fields: [{name: val_to_add, dtype: Int64}]
            features:
              - {name: conv_rate_plus_val, dtype: Float64, expression: "conv_rate + val_to_add"}
        feature_services:
          - name: driver_activity
            features: ["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips", "transformed_conv_rate:conv_rate_plus_val"]
        """;
}
