using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bulwark.Server.Tests;

/// <summary>The server's default log levels: one access-log line per request, and operators can turn the rest back on.</summary>
public sealed class AccessLogTests
{
    private const string AccessLog = "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware";

    [Fact]
    public async Task EachRequest_WritesOneAccessLogLine_AndNoAspNetCorePerRequestLines()
    {
        var logs = new ConcurrentQueue<string>();
        await using var server = await LiveServer.StartAsync(services: builder => builder.Logging.AddProvider(new CapturingLoggerProvider(logs)));
        logs.Clear();

        for (var i = 0; i < 3; i++)
        {
            using var response = await server.Anonymous.GetAsync(new Uri("/v2/", UriKind.Relative));
        }

        using (var catalog = await server.Client.GetAsync(new Uri("/v2/_catalog", UriKind.Relative)))
        {
            catalog.EnsureSuccessStatusCode();
        }

        var lines = await WaitForAsync(logs, l => l.StartsWith(AccessLog, StringComparison.Ordinal), 4);
        Assert.Equal(4, lines.Count(l => l.StartsWith(AccessLog, StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => l.StartsWith(AccessLog, StringComparison.Ordinal) && l.Contains("StatusCode: 401", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConfiguredLogLevel_OverridesTheDefaults()
    {
        var logs = new ConcurrentQueue<string>();
        await using var server = await LiveServer.StartAsync(services: builder =>
        {
            builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] = "Information";
            builder.Logging.AddProvider(new CapturingLoggerProvider(logs));
        });
        logs.Clear();

        using (var response = await server.Anonymous.GetAsync(new Uri("/v2/", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var lines = await WaitForAsync(logs, l => l.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal), 2);
        Assert.Equal(2, lines.Count(l => l.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith(AccessLog, StringComparison.Ordinal));
    }

    /// <summary>The captured lines once <paramref name="count"/> match (request logging finishes after the response is sent).</summary>
    private static async Task<string[]> WaitForAsync(ConcurrentQueue<string> logs, Func<string, bool> match, int count)
    {
        for (var attempt = 0; attempt < 100 && logs.Count(match) < count; attempt++)
        {
            await Task.Delay(50);
        }

        return [.. logs];
    }
}
