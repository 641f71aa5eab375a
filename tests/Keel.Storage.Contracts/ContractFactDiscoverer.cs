using Xunit.Abstractions;
using Xunit.Sdk;

namespace Keel.Storage.Contracts;

/// <summary>Discovers <see cref="ContractFactAttribute"/> tests, skipped when the enrolling class's backend is unavailable.</summary>
public sealed class ContractFactDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink _diagnostics;

    public ContractFactDiscoverer(IMessageSink diagnosticMessageSink) => _diagnostics = diagnosticMessageSink;

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var requirement = testMethod.TestClass.Class.GetCustomAttributes(typeof(BackendRequirementAttribute))
            .OfType<IReflectionAttributeInfo>()
            .Select(a => a.Attribute)
            .OfType<BackendRequirementAttribute>()
            .FirstOrDefault();
        var gap = testMethod.TestClass.Class.GetCustomAttributes(typeof(ContractGapAttribute))
            .OfType<IReflectionAttributeInfo>()
            .Select(a => a.Attribute)
            .OfType<ContractGapAttribute>()
            .FirstOrDefault(g => g.Test == testMethod.Method.Name);
        var reason = requirement?.SkipReason ?? gap?.Reason;
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        return
        [
            reason is null
                ? new XunitTestCase(_diagnostics, display, displayOptions, testMethod)
                : new SkippedContractTestCase(_diagnostics, display, displayOptions, testMethod, reason),
        ];
    }
}
