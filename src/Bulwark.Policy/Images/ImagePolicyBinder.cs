using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Signing.Keys;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Policy.Images;

/// <summary>
/// Turns the YAML tree of a policy into an <see cref="ImagePolicyDocument"/>, collecting every error instead of stopping
/// at the first: each field is checked on its own, and a bad field only drops the rule, not the rest of the checks.
/// </summary>
internal sealed class ImagePolicyBinder
{
    private static readonly string[] RootKeys = ["apiVersion", "kind", "metadata", "spec"];
    private static readonly string[] MetadataKeys = ["name"];
    private static readonly string[] SpecKeys = ["rules"];
    private static readonly string[] RuleKeys =
        ["name", "repositories", "mode", "allowedRegistries", "approvedBaseImages", "requireSignature", "vulnerabilities", "image", "provenance"];
    private static readonly string[] SignatureKeys = ["keys", "minimum"];
    private static readonly string[] KeyKeys = ["name", "publicKey", "keyFile"];
    private static readonly string[] VulnerabilityKeys = ["maximumSeverity", "ignoreUnfixed", "allow"];
    private static readonly string[] AllowKeys = ["id", "reason", "expires"];
    private static readonly string[] ImageKeys = ["noRootUser", "maximumAgeDays", "noSecrets"];
    private static readonly string[] ProvenanceKeys = ["required", "keys"];

    /// <summary>Key files are PEM public keys: a few hundred bytes.</summary>
    private const int MaxKeyFileBytes = 64 * 1024;

    private readonly ImagePolicyParseOptions options;
    private readonly List<ImagePolicyError> errors = [];

    private ImagePolicyBinder(ImagePolicyParseOptions options) => this.options = options;

    private ImagePolicyLimits Limits => options.Limits;

    public static ImagePolicyParseResult Bind(PolicyYamlNode? root, ImagePolicyParseOptions options)
    {
        var binder = new ImagePolicyBinder(options);
        var document = binder.BindDocument(root);
        return binder.errors.Count > 0 || document is null
            ? new ImagePolicyParseResult { Errors = [.. binder.errors.OrderBy(e => e.Line).ThenBy(e => e.Column)] }
            : new ImagePolicyParseResult { Document = document };
    }

    private ImagePolicyDocument? BindDocument(PolicyYamlNode? root)
    {
        if (root is null)
        {
            Error("", 0, 0, "the policy is empty");
            return null;
        }

        if (Mapping(root, "", RootKeys) is not { } fields)
        {
            return null;
        }

        var apiVersion = RequiredString(fields, root, "", "apiVersion");
        if (apiVersion is not null && apiVersion != ImagePolicyDocument.ApiVersion)
        {
            Error(fields["apiVersion"], "apiVersion", $"must be {ImagePolicyDocument.ApiVersion}, not '{apiVersion}'");
        }

        var kind = RequiredString(fields, root, "", "kind");
        if (kind is not null && kind != ImagePolicyDocument.Kind)
        {
            Error(fields["kind"], "kind", $"must be {ImagePolicyDocument.Kind}, not '{kind}'");
        }

        string? name = null;
        if (Required(fields, root, "", "metadata") is { } metadataNode && Mapping(metadataNode, "metadata", MetadataKeys) is { } metadata)
        {
            name = RequiredString(metadata, metadataNode, "metadata", "name");
            if (name is not null && !IsName(name))
            {
                Error(metadata["name"], "metadata.name", "must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
        }

        List<ImagePolicyRule>? rules = null;
        if (Required(fields, root, "", "spec") is { } specNode && Mapping(specNode, "spec", SpecKeys) is { } spec
            && Required(spec, specNode, "spec", "rules") is { } rulesNode)
        {
            rules = BindRules(rulesNode);
        }

        if (errors.Count > 0 || name is null || rules is null)
        {
            return null;
        }

        var canonical = ImagePolicyCanonicalWriter.Write(name, rules);
        return new ImagePolicyDocument
        {
            Name = name,
            Rules = rules,
            CanonicalJson = canonical,
            ContentHash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))),
        };
    }

    private List<ImagePolicyRule>? BindRules(PolicyYamlNode node)
    {
        const string path = "spec.rules";
        if (Sequence(node, path, Limits.MaxRules) is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Error(node, path, "at least one rule is required");
            return null;
        }

        var rules = new List<ImagePolicyRule>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var rulePath = Index(path, i);
            var rule = BindRule(items[i], rulePath);

            // Names are compared as written, so a duplicate is reported even when either rule has other errors.
            var nameNode = items[i].Entries.FirstOrDefault(e => e.Key is { Kind: PolicyYamlNodeKind.Scalar, Value: "name" }).Value;
            if (nameNode is { Kind: PolicyYamlNodeKind.Scalar, IsNull: false })
            {
                if (names.TryGetValue(nameNode.Value, out var first))
                {
                    Error(nameNode, rulePath + ".name", $"duplicate rule name '{nameNode.Value}' (first used by {Index(path, first)})");
                    continue;
                }

                names[nameNode.Value] = i;
            }

            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private ImagePolicyRule? BindRule(PolicyYamlNode node, string path)
    {
        if (Mapping(node, path, RuleKeys) is not { } fields)
        {
            return null;
        }

        var before = errors.Count;
        var name = RequiredString(fields, node, path, "name");
        if (name is not null && !IsName(name))
        {
            Error(fields["name"], path + ".name", "must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        var repositories = new List<RepositoryScope>();
        if (Required(fields, node, path, "repositories") is { } repositoriesNode)
        {
            var items = StringList(repositoriesNode, path + ".repositories");
            if (items is { Count: 0 })
            {
                Error(repositoriesNode, path + ".repositories", "at least one repository pattern is required");
            }

            foreach (var (text, itemNode, itemPath) in items ?? [])
            {
                if (RepositoryScope.TryParse(text, out var scope))
                {
                    repositories.Add(scope);
                }
                else
                {
                    Error(itemNode, itemPath, $"'{text}' is not a repository pattern (name, name/*, name/** or **)");
                }
            }
        }

        var mode = PolicyMode.Enforce;
        if (OptionalString(fields, path, "mode") is { } modeText)
        {
            switch (modeText)
            {
                case "enforce":
                    break;
                case "audit":
                    mode = PolicyMode.Audit;
                    break;
                default:
                    Error(fields["mode"], path + ".mode", $"must be enforce or audit, not '{modeText}'");
                    break;
            }
        }

        var registries = fields.TryGetValue("allowedRegistries", out var registriesNode) ? BindRegistries(registriesNode, path + ".allowedRegistries") : null;
        var baseImages = fields.TryGetValue("approvedBaseImages", out var baseNode) ? BindBaseImages(baseNode, path + ".approvedBaseImages") : null;
        var signature = fields.TryGetValue("requireSignature", out var signatureNode) ? BindSignature(signatureNode, path + ".requireSignature") : null;
        var vulnerabilities = fields.TryGetValue("vulnerabilities", out var vulnerabilityNode) ? BindVulnerabilities(vulnerabilityNode, path + ".vulnerabilities") : null;
        var image = fields.TryGetValue("image", out var imageNode) ? BindImage(imageNode, path + ".image") : null;
        var provenance = fields.TryGetValue("provenance", out var provenanceNode)
            ? BindProvenance(provenanceNode, path + ".provenance", signature?.Keys)
            : null;

        var checks = new[] { "allowedRegistries", "approvedBaseImages", "requireSignature", "vulnerabilities", "image", "provenance" };
        if (!checks.Any(fields.ContainsKey))
        {
            Error(node, path, "the rule has no check (allowedRegistries, approvedBaseImages, requireSignature, vulnerabilities, image or provenance)");
        }

        if (errors.Count > before || name is null)
        {
            return null;
        }

        return new ImagePolicyRule
        {
            Name = name,
            Repositories = repositories,
            Mode = mode,
            AllowedRegistries = registries,
            ApprovedBaseImages = baseImages,
            RequireSignature = signature,
            Vulnerabilities = vulnerabilities,
            Image = image,
            Provenance = provenance?.Required == true ? provenance.Value.Requirement : null,
        };
    }

    private List<string>? BindRegistries(PolicyYamlNode node, string path)
    {
        if (StringList(node, path) is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Error(node, path, "at least one registry is required (an empty list would refuse every image)");
        }

        var registries = new List<string>();
        foreach (var (text, itemNode, itemPath) in items)
        {
            if (RegistryHost.IsValid(text))
            {
                registries.Add(text.ToLowerInvariant());
            }
            else
            {
                Error(itemNode, itemPath, $"'{text}' is not a registry host[:port] (no scheme, path or wildcard)");
            }
        }

        return registries;
    }

    private List<BaseImagePattern>? BindBaseImages(PolicyYamlNode node, string path)
    {
        if (StringList(node, path) is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Error(node, path, "at least one base image is required");
        }

        var patterns = new List<BaseImagePattern>();
        foreach (var (text, itemNode, itemPath) in items)
        {
            if (BaseImagePattern.TryParse(text, out var pattern))
            {
                patterns.Add(pattern);
            }
            else
            {
                Error(itemNode, itemPath, $"'{text}' is not a base image (registry/repository[:tag][@digest], registry/prefix/* or registry/prefix/**)");
            }
        }

        return patterns;
    }

    private SignatureRequirement? BindSignature(PolicyYamlNode node, string path)
    {
        if (Mapping(node, path, SignatureKeys) is not { } fields)
        {
            return null;
        }

        var keysNode = Required(fields, node, path, "keys");
        var keys = keysNode is null ? null : BindKeys(keysNode, path + ".keys");
        var listed = keysNode?.Items.Count ?? 0;
        var minimum = 1;
        if (fields.TryGetValue("minimum", out var minimumNode) && Integer(minimumNode, path + ".minimum", 1, Limits.MaxListItems) is { } value)
        {
            minimum = value;
            if (listed > 0 && value > listed)
            {
                Error(minimumNode, path + ".minimum", $"is {value} but only {listed} key(s) are listed");
            }
        }

        return keys is null ? null : new SignatureRequirement(keys, minimum);
    }

    private (bool Required, ProvenanceRequirement Requirement)? BindProvenance(PolicyYamlNode node, string path, IReadOnlyList<TrustedKey>? signatureKeys)
    {
        if (Mapping(node, path, ProvenanceKeys) is not { } fields)
        {
            return null;
        }

        var required = !fields.TryGetValue("required", out var requiredNode) || Boolean(requiredNode, path + ".required") != false;
        IReadOnlyList<TrustedKey>? keys = fields.TryGetValue("keys", out var keysNode) ? BindKeys(keysNode, path + ".keys") : signatureKeys;
        if (keys is null && !fields.ContainsKey("keys"))
        {
            Error(node, path, "needs keys: list them here or in requireSignature of the same rule");
            return null;
        }

        return keys is null ? null : (required, new ProvenanceRequirement(keys));
    }

    private List<TrustedKey>? BindKeys(PolicyYamlNode node, string path)
    {
        if (Sequence(node, path, Limits.MaxListItems) is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Error(node, path, "at least one key is required");
        }

        var keys = new List<TrustedKey>();
        for (var i = 0; i < items.Count; i++)
        {
            var keyPath = Index(path, i);
            if (Mapping(items[i], keyPath, KeyKeys) is not { } fields)
            {
                continue;
            }

            var name = RequiredString(fields, items[i], keyPath, "name");
            if (name is not null && keys.Any(k => k.Name == name))
            {
                Error(fields["name"], keyPath + ".name", $"duplicate key name '{name}'");
                continue;
            }

            var hasPem = fields.TryGetValue("publicKey", out var pemNode);
            var hasFile = fields.TryGetValue("keyFile", out var fileNode);
            if (hasPem && hasFile)
            {
                Error(items[i], keyPath, "give either publicKey (PEM) or keyFile, not both");
                continue;
            }

            if (!hasPem && !hasFile)
            {
                if (name is not null && options.NamedKeys.TryGetValue(name, out var given))
                {
                    keys.Add(new TrustedKey(name, given));
                }
                else if (name is not null)
                {
                    Error(items[i], keyPath, options.NamedKeys.Count > 0 || options.BaseDirectory is not null
                        ? $"key '{name}' has no publicKey or keyFile and was not given on the command line (--key {name}=FILE)"
                        : "needs publicKey (PEM) or keyFile");
                }

                continue;
            }

            string? pem = null;
            if (hasPem)
            {
                pem = Scalar(pemNode!, keyPath + ".publicKey", SigningKey.MaxPemLength);
            }
            else if (Scalar(fileNode!, keyPath + ".keyFile", Limits.MaxScalarLength) is { } file)
            {
                pem = ReadKeyFile(fileNode!, keyPath + ".keyFile", file);
            }

            if (pem is null)
            {
                continue;
            }

            try
            {
                var key = VerificationKey.FromPem(pem);
                if (name is not null)
                {
                    keys.Add(new TrustedKey(name, key));
                }
            }
            catch (KeyFormatException e)
            {
                Error(hasPem ? pemNode! : fileNode!, keyPath + (hasPem ? ".publicKey" : ".keyFile"), e.Message);
            }
        }

        return keys;
    }

    private string? ReadKeyFile(PolicyYamlNode node, string path, string file)
    {
        if (options.BaseDirectory is not { } baseDirectory)
        {
            Error(node, path, "keyFile is only allowed in a policy file read from disk; give the key inline as publicKey");
            return null;
        }

        // The key must lie under the policy's directory: a policy from a pull request cannot point at arbitrary files.
        var root = Path.GetFullPath(baseDirectory);
        var full = Path.GetFullPath(Path.Combine(root, file));
        var relative = Path.GetRelativePath(root, full);
        if (Path.IsPathRooted(file) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || Path.IsPathRooted(relative))
        {
            Error(node, path, $"'{file}' is outside the policy file's directory");
            return null;
        }

        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                Error(node, path, $"key file '{file}' does not exist");
                return null;
            }

            if (info.Length > MaxKeyFileBytes)
            {
                Error(node, path, $"key file '{file}' is larger than {MaxKeyFileBytes} bytes");
                return null;
            }

            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error(node, path, $"key file '{file}' cannot be read: {e.Message}");
            return null;
        }
    }

    private VulnerabilityRequirement? BindVulnerabilities(PolicyYamlNode node, string path)
    {
        if (Mapping(node, path, VulnerabilityKeys) is not { } fields)
        {
            return null;
        }

        SeverityRating? maximum = null;
        if (RequiredString(fields, node, path, "maximumSeverity") is { } severity)
        {
            maximum = severity.ToLowerInvariant() switch
            {
                "none" => SeverityRating.None,
                "low" => SeverityRating.Low,
                "medium" => SeverityRating.Medium,
                "high" => SeverityRating.High,
                "critical" => SeverityRating.Critical,
                _ => null,
            };
            if (maximum is null)
            {
                Error(fields["maximumSeverity"], path + ".maximumSeverity", $"must be none, low, medium, high or critical, not '{severity}'");
            }
        }

        var ignoreUnfixed = fields.TryGetValue("ignoreUnfixed", out var unfixedNode) && Boolean(unfixedNode, path + ".ignoreUnfixed") == true;
        var allow = new List<AllowedAdvisory>();
        if (fields.TryGetValue("allow", out var allowNode) && Sequence(allowNode, path + ".allow", Limits.MaxListItems) is { } items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = Index(path + ".allow", i);
                if (Mapping(items[i], itemPath, AllowKeys) is not { } entry)
                {
                    continue;
                }

                var id = RequiredString(entry, items[i], itemPath, "id");
                var reason = RequiredString(entry, items[i], itemPath, "reason");
                if (reason is { Length: 0 } || (reason is not null && string.IsNullOrWhiteSpace(reason)))
                {
                    Error(entry["reason"], itemPath + ".reason", "must say why the advisory is accepted");
                }

                DateOnly? expires = null;
                if (entry.TryGetValue("expires", out var expiresNode) && Scalar(expiresNode, itemPath + ".expires", Limits.MaxScalarLength) is { } date)
                {
                    if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    {
                        expires = parsed;
                    }
                    else
                    {
                        Error(expiresNode, itemPath + ".expires", $"'{date}' is not a date (YYYY-MM-DD)");
                    }
                }

                if (id is null || reason is null)
                {
                    continue;
                }

                if (allow.Any(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase)))
                {
                    Error(entry["id"], itemPath + ".id", $"advisory '{id}' is listed twice");
                    continue;
                }

                allow.Add(new AllowedAdvisory(id, reason, expires));
            }
        }

        return maximum is null ? null : new VulnerabilityRequirement(maximum.Value, ignoreUnfixed, allow);
    }

    private ImageRequirement? BindImage(PolicyYamlNode node, string path)
    {
        if (Mapping(node, path, ImageKeys) is not { } fields)
        {
            return null;
        }

        var noRoot = fields.TryGetValue("noRootUser", out var rootNode) && Boolean(rootNode, path + ".noRootUser") == true;
        var noSecrets = fields.TryGetValue("noSecrets", out var secretsNode) && Boolean(secretsNode, path + ".noSecrets") == true;
        int? maximumAge = fields.TryGetValue("maximumAgeDays", out var ageNode) ? Integer(ageNode, path + ".maximumAgeDays", 1, 36_500) : null;
        if (fields.Count == 0)
        {
            Error(node, path, "sets no check (noRootUser, maximumAgeDays or noSecrets)");
        }

        return new ImageRequirement(noRoot, maximumAge, noSecrets);
    }

    private Dictionary<string, PolicyYamlNode>? Mapping(PolicyYamlNode node, string path, string[] allowed)
    {
        if (node.Kind != PolicyYamlNodeKind.Mapping)
        {
            Error(node, path, $"must be a mapping, not {Describe(node)}");
            return null;
        }

        var fields = new Dictionary<string, PolicyYamlNode>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Entries)
        {
            if (key.Kind != PolicyYamlNodeKind.Scalar)
            {
                Error(key, path, "a key must be a plain name");
                continue;
            }

            var keyPath = path.Length == 0 ? key.Value : path + "." + key.Value;
            if (!seen.Add(key.Value))
            {
                Error(key, keyPath, "duplicate key");
            }
            else if (!allowed.Contains(key.Value))
            {
                Error(key, keyPath, $"unknown key (expected one of {string.Join(", ", allowed)})");
            }
            else
            {
                fields.Add(key.Value, value);
            }
        }

        return fields;
    }

    private List<PolicyYamlNode>? Sequence(PolicyYamlNode node, string path, int limit)
    {
        if (node.Kind != PolicyYamlNodeKind.Sequence)
        {
            Error(node, path, $"must be a list, not {Describe(node)}");
            return null;
        }

        if (node.Items.Count > limit)
        {
            Error(node, path, $"has {node.Items.Count} entries; at most {limit} are allowed");
            return null;
        }

        return node.Items;
    }

    private List<(string Text, PolicyYamlNode Node, string Path)>? StringList(PolicyYamlNode node, string path)
    {
        if (Sequence(node, path, Limits.MaxListItems) is not { } items)
        {
            return null;
        }

        var strings = new List<(string, PolicyYamlNode, string)>();
        for (var i = 0; i < items.Count; i++)
        {
            if (Scalar(items[i], Index(path, i), Limits.MaxScalarLength) is { } text)
            {
                strings.Add((text, items[i], Index(path, i)));
            }
        }

        return strings;
    }

    private PolicyYamlNode? Required(Dictionary<string, PolicyYamlNode> fields, PolicyYamlNode parent, string path, string key)
    {
        if (fields.TryGetValue(key, out var node))
        {
            return node;
        }

        Error(parent, path.Length == 0 ? key : path + "." + key, "is required");
        return null;
    }

    private string? RequiredString(Dictionary<string, PolicyYamlNode> fields, PolicyYamlNode parent, string path, string key) =>
        Required(fields, parent, path, key) is { } node ? Scalar(node, path.Length == 0 ? key : path + "." + key, Limits.MaxScalarLength) : null;

    private string? OptionalString(Dictionary<string, PolicyYamlNode> fields, string path, string key) =>
        fields.TryGetValue(key, out var node) ? Scalar(node, path + "." + key, Limits.MaxScalarLength) : null;

    private string? Scalar(PolicyYamlNode node, string path, int maxLength)
    {
        if (node.Kind != PolicyYamlNodeKind.Scalar || node.IsNull)
        {
            Error(node, path, $"must be a string, not {Describe(node)}");
            return null;
        }

        if (node.Value.Length > maxLength)
        {
            Error(node, path, $"is longer than {maxLength} characters");
            return null;
        }

        return node.Value;
    }

    private bool? Boolean(PolicyYamlNode node, string path)
    {
        if (node is { Kind: PolicyYamlNodeKind.Scalar, Quoted: false })
        {
            switch (node.Value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        Error(node, path, $"must be true or false, not {Describe(node)}");
        return null;
    }

    private int? Integer(PolicyYamlNode node, string path, int minimum, int maximum)
    {
        if (node is { Kind: PolicyYamlNodeKind.Scalar, Quoted: false }
            && int.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= minimum && value <= maximum)
            {
                return value;
            }

            Error(node, path, $"must be between {minimum} and {maximum}, not {value}");
            return null;
        }

        Error(node, path, $"must be a whole number, not {Describe(node)}");
        return null;
    }

    private static string Describe(PolicyYamlNode node) => node switch
    {
        { Kind: PolicyYamlNodeKind.Mapping } => "a mapping",
        { Kind: PolicyYamlNodeKind.Sequence } => "a list",
        { IsNull: true } => "null",
        _ => $"'{(node.Value.Length > 40 ? node.Value[..40] + "…" : node.Value)}'",
    };

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 63 && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    private static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    private void Error(PolicyYamlNode node, string path, string message) => Error(path, node.Line, node.Column, message);

    private void Error(string path, int line, int column, string message) => errors.Add(new ImagePolicyError(path, line, column, message));
}
