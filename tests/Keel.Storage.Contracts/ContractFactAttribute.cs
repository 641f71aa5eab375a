using Xunit;
using Xunit.Sdk;

namespace Keel.Storage.Contracts;

/// <summary>
/// A contract test. It runs like a <see cref="FactAttribute"/> on every enrolled backend, except
/// where the enrolling class carries a <see cref="BackendRequirementAttribute"/> whose backend is
/// not available here: there it is reported as skipped, with the reason, instead of failing.
/// Every test in the contract suites uses it.
/// </summary>
[XunitTestCaseDiscoverer("Keel.Storage.Contracts.ContractFactDiscoverer", "Keel.Storage.Contracts")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ContractFactAttribute : FactAttribute
{
}
