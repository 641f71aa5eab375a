using Xunit;
using Xunit.Sdk;

namespace Keel.Storage.Contracts;

/// <summary>
/// A contract test: a <see cref="FactAttribute"/> that is skipped, with the reason, when the
/// enrolling class's <see cref="RequiresEnvironmentAttribute"/> service is not configured.
/// </summary>
[XunitTestCaseDiscoverer("Keel.Storage.Contracts.ContractFactDiscoverer", "Keel.Storage.Contracts")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ContractFactAttribute : FactAttribute
{
}
