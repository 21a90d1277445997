using System.Text.RegularExpressions;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// What is never reported: documented example values (AWS's <c>AKIAIOSFODNN7EXAMPLE</c>, anything containing
/// <c>example</c>, <c>dummy</c>, <c>xxxxx</c>…), the noise paths, and the user's paths, rule ids and value patterns.
/// </summary>
internal sealed class SecretAllowList
{
    /// <summary>A secret containing one of these (any case) is a documented example or a placeholder.</summary>
    public static IReadOnlyList<string> ExampleMarkers { get; } =
        ["example", "dummy", "xxxxx", "sample", "placeholder", "changeme", "change_me", "redacted", "your_", "your-", "<", "${", "{{"];

    /// <summary>
    /// Published well-known values: the Azure Storage emulator's account key (Azurite and the storage emulator
    /// documentation print it; it only opens the local emulator).
    /// </summary>
    public static IReadOnlyList<string> WellKnownValues { get; } =
        ["Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="];

    /// <summary>
    /// Paths never searched: documentation, manuals, locales, time zones, licences and headers (text that
    /// describes credentials rather than holding them) and the test data of language runtimes and their crypto
    /// libraries (published test vectors). Trivy skips these and more (all of usr/share, usr/lib and usr/include);
    /// we keep usr/lib so a key dropped there by a Dockerfile is still found.
    /// </summary>
    public static IReadOnlyList<string> NoisePaths { get; } =
    [
        "proc/**", "sys/**", "dev/**",
        "usr/share/doc/**", "usr/share/man/**", "usr/share/info/**", "usr/share/locale/**", "usr/share/i18n/**",
        "usr/share/zoneinfo/**", "usr/share/common-licenses/**", "usr/share/mime/**", "usr/include/**",
        "**/node_modules/**/test/**", "**/node_modules/**/tests/**", "**/node_modules/**/*.md",
        "usr/lib/python3*/test/**", "usr/local/lib/python3*/test/**", "**/site-packages/**/tests/**",
        "usr/lib/go*/src/**/testdata/**", "usr/local/go/src/**/testdata/**", "usr/local/go/test/**",
        "**/.git/**",
    ];

    /// <summary>File name endings that are binary or compressed formats; their content is never text.</summary>
    public static IReadOnlyList<string> BinaryExtensions { get; } =
    [
        ".png", ".jpg", ".jpeg", ".gif", ".ico", ".bmp", ".webp", ".pdf", ".zip", ".gz", ".xz", ".bz2", ".zst", ".lz4",
        ".jar", ".war", ".whl", ".so", ".a", ".o", ".pyc", ".mo", ".woff", ".woff2", ".ttf", ".otf", ".deb", ".rpm", ".class",
    ];

    private static readonly PathGlob[] Noise = [.. NoisePaths.Select(PathGlob.Compile)];

    private readonly PathGlob[] allowPaths;
    private readonly HashSet<string> allowRules;
    private readonly Regex[] allowMatches;
    private readonly bool skipNoise;

    /// <exception cref="ArgumentException">An allowed value pattern is not a valid regular expression.</exception>
    public SecretAllowList(SecretScanOptions options)
    {
        allowPaths = [.. options.AllowPaths.Select(PathGlob.Compile)];
        allowRules = options.AllowRuleIds.ToHashSet(StringComparer.Ordinal);
        allowMatches = [.. options.AllowMatches.Select(Compile)];
        skipNoise = options.SkipNoisePaths;
    }

    public bool SkipsPath(string path)
    {
        // Called for every regular file of every layer: loops, no delegates.
        if (skipNoise)
        {
            foreach (var extension in BinaryExtensions)
            {
                if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            foreach (var glob in Noise)
            {
                if (glob.Matches(path))
                {
                    return true;
                }
            }
        }

        foreach (var glob in allowPaths)
        {
            if (glob.Matches(path))
            {
                return true;
            }
        }

        return false;
    }

    public bool SkipsRule(string ruleId) => allowRules.Contains(ruleId);

    public bool AllowsSecret(string secret)
    {
        if (WellKnownValues.Contains(secret, StringComparer.Ordinal))
        {
            return true;
        }

        foreach (var marker in ExampleMarkers)
        {
            if (secret.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var pattern in allowMatches)
        {
            try
            {
                if (pattern.IsMatch(secret))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern too slow to decide does not hide a secret.
            }
        }

        return false;
    }

    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"secret allow pattern '{pattern}' is not a valid regular expression: {e.Message}", nameof(pattern), e);
        }
    }
}
