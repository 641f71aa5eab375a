namespace Keel.Storage.Sql;

/// <summary>A registered-model row as <see cref="RegistryTables.ModelColumns"/> selects it, before its versions, tags and aliases are attached.</summary>
internal readonly record struct ModelRow(string Name, long Created, long Updated, string? User, string? Description);
