using System.Net;
using System.Text;

namespace Keel.Artifacts.S3.Tests;

/// <summary>
/// An HTTP endpoint on loopback that answers every request with one fixed S3 error (status, code),
/// to check how the store translates errors a test S3 server will not produce (AccessDenied, SlowDown).
/// </summary>
internal sealed class FakeS3Endpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeS3Endpoint(int status, string code)
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Requests++;
                var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>fake {code}</Message><RequestId>r</RequestId></Error>");
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/xml";
                if (context.Request.HttpMethod != "HEAD")
                {
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                }

                context.Response.Close();
            }
        });
    }

    public int Port { get; }

    public int Requests { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    public static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
