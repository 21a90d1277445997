using System.Text;
using System.Text.Json;

namespace Bulwark.Analysis.Registry;

/// <summary>
/// Finds stored registry credentials the way skopeo and podman do (containers-auth.json(5)): the file named by
/// <c>REGISTRY_AUTH_FILE</c>, else <c>${XDG_RUNTIME_DIR}/containers/auth.json</c>, else
/// <c>~/.config/containers/auth.json</c>, then <c>~/.docker/config.json</c>. Within a file, the most specific
/// key wins: <c>host/namespace/repo</c>, <c>host/namespace</c>, then <c>host</c> (with or without a scheme; Docker
/// Hub's legacy <c>https://index.docker.io/v1/</c> too). Credential helpers are not run.
/// </summary>
public sealed class RegistryAuthFiles(Func<string, string?> environment, string? homeDirectory)
{
    public static RegistryAuthFiles FromEnvironment() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public IEnumerable<string> CandidateFiles()
    {
        if (environment("REGISTRY_AUTH_FILE") is { Length: > 0 } explicitFile)
        {
            yield return explicitFile;
        }

        if (environment("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            yield return Path.Combine(runtime, "containers", "auth.json");
        }

        if (homeDirectory is { Length: > 0 })
        {
            yield return Path.Combine(environment("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(homeDirectory, ".config"), "containers", "auth.json");
            yield return Path.Combine(environment("DOCKER_CONFIG") is { Length: > 0 } docker ? docker : Path.Combine(homeDirectory, ".docker"), "config.json");
        }
    }

    /// <summary>The credential for <paramref name="registry"/>/<paramref name="repository"/> from the first file that has one.</summary>
    public RegistryCredential? Find(string registry, string repository)
    {
        var keys = Keys(registry, repository).ToList();
        foreach (var file in CandidateFiles())
        {
            if (!File.Exists(file))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(file));
                if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var key in keys)
                {
                    if (auths.TryGetProperty(key, out var entry) && Decode(entry) is { } credential)
                    {
                        return credential;
                    }
                }
            }
            catch (JsonException)
            {
                // A malformed file is skipped as the tools skip it; the next one may have the credential.
            }
        }

        return null;
    }

    private static IEnumerable<string> Keys(string registry, string repository)
    {
        var parts = repository.Split('/');
        for (var n = parts.Length; n >= 1; n--)
        {
            yield return $"{registry}/{string.Join('/', parts.Take(n))}";
        }

        var hosts = registry == Oci.ImageReference.DockerHub
            ? new[] { "docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/" }
            : [registry];
        foreach (var host in hosts)
        {
            yield return host;
            yield return "https://" + host;
            yield return "http://" + host;
        }
    }

    private static RegistryCredential? Decode(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("auth", out var auth) || auth.GetString() is not { Length: > 0 } encoded)
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
