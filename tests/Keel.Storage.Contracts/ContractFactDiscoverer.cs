using Xunit.Abstractions;
using Xunit.Sdk;

namespace Keel.Storage.Contracts;

/// <summary>Discovers <see cref="ContractFactAttribute"/> tests, skipping those whose class needs a service that is not there.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        if (testMethod.TestClass.Class is IReflectionTypeInfo type && RequiresEnvironmentAttribute.SkipReasonFor(type.Type) is { } reason)
        {
            return [new SkippedTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
