using Bulwark.Policy.Admission;
using Bulwark.Policy.Images;
using Bulwark.Policy.Workloads;
using Bulwark.Server.Configuration;
using Bulwark.Signing.Keys;

namespace Bulwark.Server.Admission;

/// <summary>
/// The Kubernetes admission webhook, as configured (<c>admission:</c> in <c>bulwark.yaml</c>). Admission reviews carry no
/// namespace labels and Bulwark has no kube client, so the Pod Security level per namespace is configuration here
/// (<see cref="Namespaces"/>), in the spelling of the <c>pod-security.kubernetes.io/enforce[-version]</c> labels.
/// </summary>
public sealed class AdmissionSettings
{
    /// <summary>Key files are PEM public keys: a few hundred bytes.</summary>
    public const int MaxKeyFileBytes = 64 * 1024;

    /// <summary><c>enforce</c> (deny) or <c>audit</c> (allow with warnings).</summary>
    public string Mode { get; set; } = "enforce";

    /// <summary>Pod Security level for namespaces not listed in <see cref="Namespaces"/>: privileged, baseline or restricted.</summary>
    public string Level { get; set; } = "restricted";

    /// <summary>Version of the standards for namespaces not listed: <c>latest</c> or <c>v1.N</c>.</summary>
    public string Version { get; set; } = "latest";

    /// <summary>Per namespace: <c>{enforce: baseline, version: v1.29}</c>.</summary>
    public Dictionary<string, NamespaceAdmissionSettings> Namespaces { get; set; } = new(StringComparer.Ordinal);

    public AdmissionExemptionSettings Exemptions { get; set; } = new();

    /// <summary>Registry hosts (exact host[:port]) images may come from; empty allows any registry.</summary>
    public List<string> AllowedRegistries { get; set; } = [];

    /// <summary>The host[:port] names clusters pull from this Bulwark by; images there must resolve and pass.</summary>
    public List<string> RegistryHosts { get; set; } = [];

    /// <summary>Whether images on this registry need a verified signature by <see cref="SignatureKeys"/>.</summary>
    public bool RequireSignature { get; set; }

    /// <summary>
    /// Paths of the PEM public keys (ECDSA P-256 <c>PUBLIC KEY</c>, as <c>bulwark keygen</c> and cosign write them) whose
    /// signatures are trusted; relative paths are taken from the working directory. Read and checked at start.
    /// </summary>
    public List<string> SignatureKeys { get; set; } = [];

    /// <summary>How many distinct <see cref="SignatureKeys"/> must have signed an image (default 1).</summary>
    public int MinimumSignatures { get; set; } = 1;

    /// <summary>Largest AdmissionReview body accepted (default 3 MiB, as kube-apiserver).</summary>
    public int MaxRequestBytes { get; set; } = AdmissionOptions.DefaultMaxRequestBytes;

    /// <summary>How long a passing image's facts (tag → digest, decision) are reused; 0 disables the cache.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The decision options; every invalid value is reported at once.</summary>
    /// <exception cref="ServerConfigurationException">A value is invalid.</exception>
    public AdmissionOptions ToOptions()
    {
        var problems = new List<string>();
        var mode = Mode switch
        {
            "enforce" => AdmissionMode.Enforce,
            "audit" => AdmissionMode.Audit,
            _ => Problem(problems, $"admission.mode must be enforce or audit, not \"{Mode}\"", AdmissionMode.Enforce),
        };
        var level = ParseLevel(Level, "admission.level", problems);
        var version = ParseVersion(Version, "admission.version", problems);
        var namespaces = new Dictionary<string, NamespacePodSecurity>(StringComparer.Ordinal);
        foreach (var (name, ns) in Namespaces)
        {
            namespaces[name] = new NamespacePodSecurity(
                ns.Enforce is null ? level : ParseLevel(ns.Enforce, $"admission.namespaces.{name}.enforce", problems),
                ns.Version is null ? version : ParseVersion(ns.Version, $"admission.namespaces.{name}.version", problems));
        }

        foreach (var host in AllowedRegistries.Concat(RegistryHosts))
        {
            if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || host.Any(char.IsWhiteSpace))
            {
                problems.Add($"admission: \"{host}\" is not a registry host[:port]");
            }
        }

        if (MaxRequestBytes is < 1024 or > 64 * 1024 * 1024)
        {
            problems.Add("admission.maxRequestBytes must be between 1 KiB and 64 MiB");
        }

        if (CacheDuration < TimeSpan.Zero || CacheDuration > TimeSpan.FromMinutes(5))
        {
            problems.Add("admission.cacheDuration must be between 0 and 5 minutes");
        }

        var signatureKeys = LoadSignatureKeys(problems);

        if (problems.Count > 0)
        {
            throw new ServerConfigurationException(string.Join("; ", problems));
        }

        return new AdmissionOptions
        {
            Mode = mode,
            Level = level,
            Version = version,
            Namespaces = namespaces,
            Exemptions = new PodSecurityExemptions
            {
                Namespaces = Exemptions.Namespaces,
                Usernames = Exemptions.Usernames,
                RuntimeClasses = Exemptions.RuntimeClasses,
            },
            AllowedRegistries = AllowedRegistries,
            RegistryHosts = RegistryHosts,
            RequireSignature = RequireSignature,
            SignatureKeys = signatureKeys,
            MaxRequestBytes = MaxRequestBytes,
        };
    }

    /// <summary>
    /// The trusted keys when signatures are required (null otherwise). Fails closed at start: a key that is missing,
    /// unreadable, too large or not a supported public key, no key at all, or a minimum above the number of distinct keys
    /// is a problem; keys listed while signatures are not required are still checked, so that turning the setting on
    /// later cannot fail on a file nobody looked at.
    /// </summary>
    private SignatureRequirement? LoadSignatureKeys(List<string> problems)
    {
        var keys = new List<TrustedKey>();
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < SignatureKeys.Count; i++)
        {
            var path = SignatureKeys[i];
            var key = $"admission.signatureKeys[{i}]";
            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add($"{key} is empty");
                continue;
            }

            string pem;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    problems.Add($"{key}: key file '{path}' does not exist");
                    continue;
                }

                // Bounded whatever the length says (a device or a pipe reports 0).
                using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
                var buffer = new byte[MaxKeyFileBytes + 1];
                int total = 0, read;
                while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
                {
                    total += read;
                }

                if (total > MaxKeyFileBytes)
                {
                    problems.Add($"{key}: key file '{path}' is larger than {MaxKeyFileBytes} bytes");
                    continue;
                }

                pem = System.Text.Encoding.UTF8.GetString(buffer, 0, total);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problems.Add($"{key}: key file '{path}' cannot be read: {e.Message}");
                continue;
            }

            try
            {
                var verificationKey = VerificationKey.FromPem(pem);
                // Distinct keys count towards the minimum: the same key listed twice (two paths) is one signer.
                if (fingerprints.Add(verificationKey.Fingerprint))
                {
                    // Reasons name a key by its file name; by its path when two keys share a file name.
                    var name = Path.GetFileName(path);
                    keys.Add(new TrustedKey(keys.Any(k => k.Name == name) ? path : name, verificationKey));
                }
            }
            catch (KeyFormatException e)
            {
                problems.Add($"{key}: key file '{path}' is not a usable public key: {e.Message}");
            }
        }

        if (MinimumSignatures < 1)
        {
            problems.Add($"admission.minimumSignatures must be at least 1, not {MinimumSignatures}");
        }

        if (!RequireSignature)
        {
            return null;
        }

        if (SignatureKeys.Count == 0)
        {
            problems.Add("admission.requireSignature is true but admission.signatureKeys lists no key: every image would be denied");
        }
        else if (keys.Count > 0 && MinimumSignatures > keys.Count)
        {
            problems.Add($"admission.minimumSignatures is {MinimumSignatures} but admission.signatureKeys holds only {keys.Count} distinct key(s)");
        }

        return new SignatureRequirement(keys, Math.Max(1, MinimumSignatures));
    }

    private static PodSecurityLevel ParseLevel(string value, string key, List<string> problems) =>
        PodSecurityLevels.TryParse(value, out var level) ? level : Problem(problems, $"{key} must be privileged, baseline or restricted, not \"{value}\"", level);

    private static PodSecurityVersion ParseVersion(string value, string key, List<string> problems) =>
        PodSecurityVersion.TryParse(value, out var version) ? version : Problem(problems, $"{key} must be latest or v1.N, not \"{value}\"", version);

    private static T Problem<T>(List<string> problems, string message, T fallback)
    {
        problems.Add(message);
        return fallback;
    }
}
