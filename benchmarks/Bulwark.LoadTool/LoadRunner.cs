using System.Diagnostics;
using System.Net;

namespace Bulwark.LoadTool;

/// <summary>
/// Runs one scenario at one concurrency: a fresh HTTP/1.1 connection pool of exactly that many connections,
/// warmed up (connections open, auth done) and prepared before the clock starts, then workers repeating the
/// operation until the operation bound or the time bound is reached. Operations in flight at the time bound
/// finish and count; the request timeout bounds them.
/// </summary>
public sealed class LoadRunner(LoadOptions options)
{
    private const int MaxErrorKinds = 5;

    public async Task<ScenarioResult> RunAsync(ILoadScenario scenario, int concurrency, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var auth = new RegistryAuthenticationHandler(options.Credentials, options.Repository) { InnerHandler = handler };
        using var http = new HttpClient(auth, disposeHandler: false)
        {
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = options.RequestTimeout,
        };
        var client = new RegistryClient(http, options.Registry, options.Repository);

        try
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => client.PingAsync(cancellationToken)));
            await scenario.PrepareAsync(client, concurrency, cancellationToken);
        }
        catch (Exception e) when ((e is HttpRequestException or RegistryResponseException or TaskCanceledException)
            && !cancellationToken.IsCancellationRequested)
        {
            return Result(scenario, concurrency, 0, [], [], 0, 0, $"preparation failed: {Describe(e)}");
        }

        var requestsBefore = client.HttpRequests;
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        long issued = 0;
        var started = Stopwatch.GetTimestamp();

        async Task<(List<double> Latencies, long Bytes)> WorkerAsync(int worker)
        {
            var latencies = new List<double>();
            long bytes = 0;
            while (!cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < options.Duration)
            {
                var sequence = Interlocked.Increment(ref issued);
                if (sequence > options.MaxOperations)
                {
                    break;
                }

                var begin = Stopwatch.GetTimestamp();
                try
                {
                    bytes += await scenario.ExecuteAsync(client, worker, sequence, cancellationToken);
                    latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    var message = Describe(e);
                    lock (errors)
                    {
                        errors[message] = errors.GetValueOrDefault(message) + 1;
                    }
                }
            }

            return (latencies, bytes);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(() => WorkerAsync(worker), CancellationToken.None)));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var latencies = outcomes.SelectMany(outcome => outcome.Latencies).ToList();
        var samples = errors.OrderByDescending(pair => pair.Value).Take(MaxErrorKinds)
            .Select(pair => new ErrorSample(pair.Key, pair.Value)).ToList();
        return Result(scenario, concurrency, client.HttpRequests - requestsBefore, latencies, samples,
            outcomes.Sum(outcome => outcome.Bytes), elapsed, failure: null);
    }

    private static ScenarioResult Result(ILoadScenario scenario, int concurrency, long httpRequests,
        List<double> latencies, List<ErrorSample> errors, long bytes, double elapsedSeconds, string? failure)
    {
        return new ScenarioResult
        {
            Scenario = ScenarioNames.Of(scenario.Kind),
            Size = scenario.BlobSize is { } size ? ByteSize.Format(size) : null,
            SizeBytes = scenario.BlobSize,
            Concurrency = concurrency,
            Operations = latencies.Count,
            Errors = errors.Sum(error => error.Count),
            HttpRequests = httpRequests,
            ElapsedSeconds = Math.Round(elapsedSeconds, 3),
            OperationsPerSecond = elapsedSeconds > 0 ? Math.Round(latencies.Count / elapsedSeconds, 2) : 0,
            MiBPerSecond = elapsedSeconds > 0 ? Math.Round(bytes / elapsedSeconds / (1 << 20), 2) : 0,
            LatencyMs = LatencySummary.From(latencies),
            ErrorSamples = errors,
            Failure = failure,
        };
    }

    private static string Describe(Exception e) => e switch
    {
        RegistryResponseException => e.Message,
        TaskCanceledException => "timeout",
        HttpRequestException { HttpRequestError: var error } => $"HTTP transport: {error}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
