using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Secrets;
using Bulwark.Oci;

namespace Bulwark.Analysis.Configuration;

/// <summary>
/// Runs the configuration checks (<see cref="ConfigChecks"/>) on the image config, its history, the secrets found
/// in its environment and the risky permissions of the final view.
/// </summary>
internal static partial class ImageConfigurationChecker
{
    public static IReadOnlyList<ConfigFinding> Check(ImageConfig? config, int layerCount, IReadOnlyList<SecretFinding> configSecrets,
        IReadOnlyList<InspectionResult<RiskyFileMode>> permissions)
    {
        var findings = new List<ConfigFinding>();
        if (config is not null)
        {
            CheckUser(config, findings);
            foreach (var secret in configSecrets.Where(s => s.ConfigLocation?.StartsWith("config.Env[", StringComparison.Ordinal) == true))
            {
                findings.Add(ConfigChecks.SecretInEnv.Finding(
                    $"{secret.ConfigLocation} holds a {secret.Title} ({secret.Match}); every container and anyone who can pull the image can read it.",
                    secret.ConfigLocation!) with
                { Severity = secret.Severity });
            }

            CheckPorts(config, findings);
            CheckHealthcheck(config, findings);
            CheckHistory(config, layerCount, findings);
        }

        foreach (var permission in permissions)
        {
            var mode = Convert.ToString((int)permission.Value.Mode & 0xFFF, 8).PadLeft(4, '0');
            var check = permission.Value.Kind switch
            {
                FilePermissionKind.SetId => ConfigChecks.SetIdFile,
                FilePermissionKind.WorldWritableFile => ConfigChecks.WorldWritableFile,
                _ => ConfigChecks.WorldWritableDirectory,
            };
            findings.Add(check.Finding($"/{permission.Path} has mode {mode} (uid {permission.Value.Uid}, gid {permission.Value.Gid}).",
                permission.Path, permission.Path, permission.LayerIndex));
        }

        return findings;
    }

    private static void CheckUser(ImageConfig config, List<ConfigFinding> findings)
    {
        var user = config.Config?.User?.Trim();
        if (string.IsNullOrEmpty(user))
        {
            findings.Add(ConfigChecks.RunsAsRoot.Finding("The image sets no USER, so containers run as root (uid 0) unless the runtime overrides it.", "config.User"));
            return;
        }

        var name = user.Split(':', 2)[0];
        if (name is "0" or "root")
        {
            findings.Add(ConfigChecks.RunsAsRoot.Finding($"USER is '{user}': containers run as root (uid 0).", "config.User"));
        }
    }

    private static void CheckPorts(ImageConfig config, List<ConfigFinding> findings)
    {
        foreach (var key in (config.Config?.ExposedPorts?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
        {
            var number = key.Split('/', 2)[0];
            if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && ConfigChecks.SensitivePorts.TryGetValue(port, out var service))
            {
                findings.Add(ConfigChecks.SensitivePort.Finding($"Port {key} ({service}) is exposed.", $"config.ExposedPorts[{key}]"));
            }
        }
    }

    private static void CheckHealthcheck(ImageConfig config, List<ConfigFinding> findings)
    {
        var test = config.Config?.Healthcheck?.Test;
        if (test is null || test.Count == 0 || test[0] == "NONE")
        {
            findings.Add(ConfigChecks.NoHealthcheck.Finding(
                test is { Count: > 0 } ? "The health check is disabled (HEALTHCHECK NONE)." : "The image defines no HEALTHCHECK.",
                "config.Healthcheck"));
        }
    }

    private static void CheckHistory(ImageConfig config, int layerCount, List<ConfigFinding> findings)
    {
        var history = config.History ?? [];
        var linesUp = config.LayerHistory().Count == layerCount;
        var layer = 0;
        for (var i = 0; i < history.Count; i++)
        {
            int? layerIndex = history[i].EmptyLayer == true ? null : layer++;
            layerIndex = linesUp ? layerIndex : null;
            var createdBy = history[i].CreatedBy;
            if (createdBy is null)
            {
                continue;
            }

            var location = $"history[{i}].created_by";
            foreach (Match from in FromInstruction().Matches(createdBy))
            {
                var image = from.Groups["image"].Value;
                if (UnpinnedReason(image) is { } reason)
                {
                    findings.Add(ConfigChecks.UnpinnedBaseImage.Finding($"The build started FROM '{image}', {reason}.", location, layerIndex: layerIndex));
                }
            }

            foreach (Match add in RemoteAddInstruction().Matches(createdBy))
            {
                if (!add.Groups["options"].Value.Contains("--checksum", StringComparison.Ordinal))
                {
                    findings.Add(ConfigChecks.RemoteAdd.Finding($"ADD fetches {add.Groups["url"].Value} without a checksum.", location, layerIndex: layerIndex));
                }
            }
        }
    }

    /// <summary>Why a FROM reference is not pinned (untagged, or a moving tag such as latest); null when pinned or not an image.</summary>
    private static string? UnpinnedReason(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal) || image.Contains('$', StringComparison.Ordinal) || image == "scratch")
        {
            return null;
        }

        var name = image[(image.LastIndexOf('/') + 1)..];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return "with no tag (which means latest) and no digest";
        }

        var tag = name[(colon + 1)..];
        return tag is "latest" or "stable" or "edge" or "rolling" or "nightly" or "master" or "main"
            ? $"a moving tag ('{tag}') with no digest"
            : null;
    }

    // Docker and Buildah record instructions as "/bin/sh -c #(nop) FROM …"; BuildKit as the instruction itself.
    [GeneratedRegex(@"(?:^|#\(nop\)\s*)FROM\s+(?:--platform=\S+\s+)?(?<image>[A-Za-z0-9][^\s]*)")]
    private static partial Regex FromInstruction();

    [GeneratedRegex(@"(?:^|#\(nop\)\s*)ADD\s+(?<options>(?:--\S+\s+)*)(?<url>https?://\S+)")]
    private static partial Regex RemoteAddInstruction();
}
