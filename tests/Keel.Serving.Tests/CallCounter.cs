using System.Collections.Concurrent;
using System.Reflection;

namespace Keel.Serving.Tests;

/// <summary>Wraps a port implementation and counts the calls made through it, by method name.</summary>
public class CallCounter<T> : DispatchProxy
    where T : class
{
    private T? _inner;

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    public static (T Proxy, CallCounter<T> Counter) Wrap(T inner)
    {
        var proxy = Create<T, CallCounter<T>>();
        var counter = (CallCounter<T>)(object)proxy;
        counter._inner = inner;
        return (proxy, counter);
    }

    public int Count(string method) => Calls.GetValueOrDefault(method);

    public int Total => Calls.Values.Sum();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.AddOrUpdate(targetMethod.Name, 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
