using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Bulwark.Oci;

namespace Bulwark.LoadTool;

/// <summary>What to run and against which registry; built from the command line by <see cref="TryParse"/>.</summary>
public sealed record LoadOptions
{
    /// <summary>Without <c>--duration</c> and <c>--requests</c> a scenario runs for this long.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>With only <c>--requests</c> given, a scenario still stops after this long.</summary>
    public static readonly TimeSpan RequestBoundDuration = TimeSpan.FromMinutes(10);

    public const long DefaultMaxOperations = 100_000;

    public const string PasswordVariable = "REGISTRY_PASSWORD";

    public const string Usage = """
        bulwark-load --registry URL [options]

        Drives an OCI distribution registry (Bulwark, CNCF Distribution, zot, …) and reports per scenario:
        operations/s, MiB/s, p50/p99 latency and errors.

          --registry URL         base URL, e.g. http://127.0.0.1:5000 (required)
          --repo NAME            repository to push to (default: loadtool/run-<random>)
          --scenarios LIST       blob-push,blob-push-chunked,blob-pull,manifest-put,manifest-get (default: all)
          --sizes LIST           blob sizes (default: 1MiB,10MiB,100MiB)
          --concurrency LIST     parallel workers per run (default: 1,10); also the connection pool size
          --duration TIME        time bound per run, e.g. 10s, 500ms, 2m (default: 10s, or 10m with --requests)
          --requests N           operation bound per run (default: 100000); a run stops at whichever comes first
          --chunk-size SIZE      PATCH size for blob-push-chunked (default: 5MiB)
          --timeout TIME         per HTTP request (default: 5m)
          --user USER[:PASS]     credentials for Basic auth or the Docker token service; PASS may come from
                                 the REGISTRY_PASSWORD environment variable instead
          --json                 write the report as JSON to stdout (progress goes to stderr)
          --help                 show this text
        """;

    public required Uri Registry { get; init; }

    public required string Repository { get; init; }

    public required IReadOnlyList<ScenarioKind> Scenarios { get; init; }

    public required IReadOnlyList<long> Sizes { get; init; }

    public required IReadOnlyList<int> Concurrency { get; init; }

    public required TimeSpan Duration { get; init; }

    public required long MaxOperations { get; init; }

    public required long ChunkSize { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    public RegistryCredentials? Credentials { get; init; }

    public bool Json { get; init; }

    /// <summary>
    /// Parses <paramref name="args"/>; on failure <paramref name="errors"/> lists every problem at once. A
    /// request for help yields no options and no errors.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, Func<string, string?> environment, [NotNullWhen(true)] out LoadOptions? options, out List<string> errors)
    {
        options = null;
        errors = [];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--help" or "-h":
                    return false;
                case "--json":
                    json = true;
                    continue;
                case "--registry" or "--repo" or "--scenarios" or "--sizes" or "--concurrency" or "--duration"
                    or "--requests" or "--chunk-size" or "--timeout" or "--user":
                    if (i + 1 >= args.Count)
                    {
                        errors.Add($"{arg} needs a value");
                    }
                    else
                    {
                        values[arg] = args[++i];
                    }

                    continue;
                default:
                    errors.Add($"unknown argument '{arg}'");
                    continue;
            }
        }

        var registry = ParseRegistry(values.GetValueOrDefault("--registry"), errors);
        var repository = values.GetValueOrDefault("--repo") ?? $"loadtool/run-{Guid.NewGuid():N}"[..20];
        if (!RepositoryName.IsValid(repository))
        {
            errors.Add($"--repo '{repository}' is not a valid repository name");
        }

        var scenarios = ParseList(values.GetValueOrDefault("--scenarios"), "--scenarios", errors,
            ScenarioNames.All.Select(entry => entry.Kind).ToList(),
            (string text, out ScenarioKind kind) => ScenarioNames.TryParse(text, out kind));
        var sizes = ParseList(values.GetValueOrDefault("--sizes"), "--sizes", errors,
            [1L << 20, 10L << 20, 100L << 20], ByteSize.TryParse);
        var concurrency = ParseList(values.GetValueOrDefault("--concurrency"), "--concurrency", errors, [1, 10],
            (string text, out int value) =>
                int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value is > 0 and <= 1024);

        var maxOperations = DefaultMaxOperations;
        if (values.TryGetValue("--requests", out var requestsText)
            && (!long.TryParse(requestsText, NumberStyles.None, CultureInfo.InvariantCulture, out maxOperations) || maxOperations <= 0))
        {
            errors.Add($"--requests '{requestsText}' must be a positive integer");
        }

        var duration = values.ContainsKey("--requests") ? RequestBoundDuration : DefaultDuration;
        if (values.TryGetValue("--duration", out var durationText) && !DurationText.TryParse(durationText, out duration))
        {
            errors.Add($"--duration '{durationText}' must be a time such as 500ms, 10s or 2m (at most one day)");
        }

        var chunkSize = 5L << 20;
        if (values.TryGetValue("--chunk-size", out var chunkText) && !ByteSize.TryParse(chunkText, out chunkSize))
        {
            errors.Add($"--chunk-size '{chunkText}' must be a size such as 5MiB");
        }

        var timeout = TimeSpan.FromMinutes(5);
        if (values.TryGetValue("--timeout", out var timeoutText) && !DurationText.TryParse(timeoutText, out timeout))
        {
            errors.Add($"--timeout '{timeoutText}' must be a time such as 30s or 5m");
        }

        var credentials = ParseCredentials(values.GetValueOrDefault("--user"), environment, errors);
        if (errors.Count > 0 || registry is null)
        {
            return false;
        }

        options = new LoadOptions
        {
            Registry = registry,
            Repository = repository,
            Scenarios = scenarios,
            Sizes = sizes,
            Concurrency = concurrency,
            Duration = duration,
            MaxOperations = maxOperations,
            ChunkSize = chunkSize,
            RequestTimeout = timeout,
            Credentials = credentials,
            Json = json,
        };
        return true;
    }

    private delegate bool ItemParser<T>(string text, out T value);

    private static Uri? ParseRegistry(string? text, List<string> errors)
    {
        if (text is null)
        {
            errors.Add("--registry is required");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            errors.Add($"--registry '{text}' must be an http(s) URL with no path, e.g. http://127.0.0.1:5000");
            return null;
        }

        return uri;
    }

    private static List<T> ParseList<T>(string? text, string name, List<string> errors, List<T> defaults, ItemParser<T> parse)
    {
        if (text is null)
        {
            return defaults;
        }

        var result = new List<T>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (parse(item, out var value))
            {
                result.Add(value);
            }
            else
            {
                errors.Add($"{name}: '{item}' is not valid");
            }
        }

        if (result.Count == 0)
        {
            errors.Add($"{name} must list at least one value");
        }

        return result.Distinct().ToList();
    }

    private static RegistryCredentials? ParseCredentials(string? text, Func<string, string?> environment, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? text : text[..colon];
        var password = colon < 0 ? environment(PasswordVariable) : text[(colon + 1)..];
        if (user.Length == 0 || password is null)
        {
            errors.Add($"--user needs USER:PASSWORD, or USER with the password in {PasswordVariable}");
            return null;
        }

        return new RegistryCredentials(user, password);
    }
}
