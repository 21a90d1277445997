using System.Globalization;
using Bulwark.Oci;
using Bulwark.Signing.Formats;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Policy.Images;

/// <summary>
/// Evaluates an <see cref="ImagePolicyDocument"/> against the <see cref="ImageFacts"/> of one image: every rule whose
/// repository patterns match, in document order, each check in the order of <see cref="PolicyCheckKind"/>. The decision
/// fails when an enforced rule fails; failed audit rules are reported as warnings. Signatures and attestations are
/// verified here, against the policy's keys and the image's digest.
/// </summary>
public static class ImagePolicyEvaluator
{
    /// <summary>SLSA provenance predicate types accepted by <c>provenance</c>.</summary>
    public static IReadOnlyList<string> ProvenancePredicateTypes { get; } = ["https://slsa.dev/provenance/v0.2", "https://slsa.dev/provenance/v1"];

    /// <summary>The most signatures or attestations looked at per image: facts from a registry cannot make evaluation unbounded.</summary>
    public const int MaxSignedMaterials = 128;

    /// <summary>Findings named one by one in a failing vulnerability check; the rest are counted.</summary>
    public const int MaxListedFindings = 20;

    private const string BaseNameAnnotation = "org.opencontainers.image.base.name";
    private const string BaseDigestAnnotation = "org.opencontainers.image.base.digest";

    public static async ValueTask<PolicyDecision> EvaluateAsync(ImagePolicyDocument policy, ImageFacts image, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var results = new List<RuleResult>();
        foreach (var rule in policy.RulesFor(image.Repository))
        {
            var checks = new List<CheckResult>();
            if (rule.AllowedRegistries is { } registries)
            {
                checks.Add(CheckRegistry(registries, image));
            }

            if (rule.ApprovedBaseImages is { } baseImages)
            {
                checks.Add(await CheckBaseImageAsync(baseImages, image, cancellationToken).ConfigureAwait(false));
            }

            if (rule.RequireSignature is { } signature)
            {
                checks.Add(CheckSignatures(signature, image.Digest, image.Signatures));
            }

            if (rule.Vulnerabilities is { } vulnerabilities)
            {
                checks.Add(CheckVulnerabilities(vulnerabilities, image, now));
            }

            if (rule.Image is { } imageRequirement)
            {
                checks.Add(CheckImage(imageRequirement, image, now));
            }

            if (rule.Provenance is { } provenance)
            {
                checks.Add(CheckProvenance(provenance, image));
            }

            results.Add(new RuleResult(rule.Name, rule.Mode, checks));
        }

        var notes = results.Count == 0
            ? new[] { $"no rule of policy '{policy.Name}' applies to repository '{image.Repository}'" }
            : [];
        return new PolicyDecision
        {
            Outcome = results.Any(r => r.Mode == PolicyMode.Enforce && !r.Passed) ? PolicyOutcome.Fail : PolicyOutcome.Pass,
            PolicyName = policy.Name,
            PolicyHash = policy.ContentHash,
            EvaluatedAt = now,
            Rules = results,
            Notes = notes,
        };
    }

    private static CheckResult CheckRegistry(IReadOnlyList<string> registries, ImageFacts image)
    {
        if (image.Registry.Length == 0)
        {
            return Fail(PolicyCheckKind.AllowedRegistries, "the image does not come from a registry (local source)");
        }

        return registries.Any(r => RegistryHost.SameHost(r, image.Registry))
            ? Pass(PolicyCheckKind.AllowedRegistries, $"registry {image.Registry} is allowed")
            : Fail(PolicyCheckKind.AllowedRegistries, $"registry {image.Registry} is not allowed (allowed: {string.Join(", ", registries)})");
    }

    private static async ValueTask<CheckResult> CheckBaseImageAsync(IReadOnlyList<BaseImagePattern> patterns, ImageFacts image,
        CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        if (image.Annotation(BaseNameAnnotation) is { } baseName)
        {
            if (ImageReference.TryParse(baseName, out var named))
            {
                if (image.Annotation(BaseDigestAnnotation) is { } baseDigest && Digest.TryParse(baseDigest, out var pinned) && named.Digest is null)
                {
                    named = named with { Digest = pinned };
                }

                if (patterns.FirstOrDefault(p => p.Matches(named)) is { } match)
                {
                    return Pass(PolicyCheckKind.ApprovedBaseImages, $"base image {named} (from the {BaseNameAnnotation} annotation) matches approved {match}");
                }

                reasons.Add($"base image {named} (from the {BaseNameAnnotation} annotation) is not approved");
            }
            else
            {
                reasons.Add($"the {BaseNameAnnotation} annotation '{baseName}' is not an image reference");
            }
        }
        else
        {
            reasons.Add($"the image has no {BaseNameAnnotation} annotation");
        }

        var diffIds = image.Config?.RootFs?.DiffIds ?? [];
        var resolvable = patterns.Where(p => p.Reference is not null).ToList();
        if (image.BaseImages is null || resolvable.Count == 0)
        {
            reasons.Add(image.BaseImages is null
                ? "base layers were not compared (no base image lookup available)"
                : "base layers were not compared (no approved base image names one image; wildcard entries match by annotation only)");
            return new CheckResult(PolicyCheckKind.ApprovedBaseImages, false, reasons);
        }

        foreach (var pattern in resolvable)
        {
            BaseImageFacts? sanctioned;
            try
            {
                sanctioned = await image.BaseImages.ResolveAsync(pattern.Reference!, cancellationToken).ConfigureAwait(false);
            }
            catch (BaseImageResolutionException e)
            {
                reasons.Add($"approved base image {pattern} could not be looked up: {e.Message}");
                continue;
            }

            if (sanctioned is null)
            {
                reasons.Add($"approved base image {pattern} was not found");
                continue;
            }

            if (IsPrefix(sanctioned.LayerDigests.Select(d => d.ToString()).ToList(), image.LayerDigests.Select(d => d.ToString()).ToList())
                || IsPrefix(sanctioned.DiffIds.Select(d => d.ToString()).ToList(), diffIds))
            {
                return Pass(PolicyCheckKind.ApprovedBaseImages,
                    $"the first {Math.Max(sanctioned.LayerDigests.Count, sanctioned.DiffIds.Count)} layer(s) are those of approved base image {pattern} ({sanctioned.Digest})");
            }
        }

        reasons.Add($"the image's layers do not start with the layers of any approved base image ({string.Join(", ", resolvable.Select(p => p.Text))})");
        return new CheckResult(PolicyCheckKind.ApprovedBaseImages, false, reasons);
    }

    private static bool IsPrefix(List<string> prefix, IReadOnlyList<string> layers) =>
        prefix.Count > 0 && prefix.Count <= layers.Count && prefix.Select((d, i) => d == layers[i]).All(same => same);

    /// <summary>
    /// The <c>requireSignature</c> check on its own: at least <see cref="SignatureRequirement.Minimum"/> distinct keys of
    /// <paramref name="requirement"/> signed <paramref name="digest"/> in one of <paramref name="signatures"/> (either
    /// storage form). The admission webhook calls it with its own trusted keys. When it fails, the first reason says why
    /// in one phrase — <c>no signature found</c>, <c>signature does not match the digest</c>, <c>signed, but by no
    /// trusted key</c>, <c>signature cannot be read</c> or <c>not enough trusted keys</c> — and the next ones name each
    /// signature that did not verify.
    /// </summary>
    public static CheckResult CheckSignatures(SignatureRequirement requirement, Digest? digest, IReadOnlyList<SignedMaterial> signatures)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        ArgumentNullException.ThrowIfNull(signatures);
        if (digest is not { } subject)
        {
            return Fail(PolicyCheckKind.RequireSignature, "the image has no manifest digest (local source), so it cannot be signed");
        }

        if (signatures.Count == 0)
        {
            return Fail(PolicyCheckKind.RequireSignature, $"no signature found for {subject}");
        }

        var signers = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var otherDigest = false;
        var unreadable = false;
        foreach (var material in signatures.Take(MaxSignedMaterials))
        {
            var verifiedBy = new List<TrustedKey>();
            string? problem = null;
            foreach (var key in requirement.Keys)
            {
                var (verdict, detail) = SignatureVerification.Verify(material, key, subject);
                switch (verdict)
                {
                    case SignatureVerdict.Verified:
                        verifiedBy.Add(key);
                        break;
                    case SignatureVerdict.OtherDigest:
                        otherDigest = true;
                        problem ??= $"{material.Location}: {detail} (key '{key.Name}')";
                        break;
                    case SignatureVerdict.Invalid:
                        unreadable = true;
                        problem ??= $"{material.Location}: {detail} (key '{key.Name}')";
                        break;
                }
            }

            foreach (var key in verifiedBy)
            {
                signers.TryAdd(key.Name, $"signed by key '{key.Name}' ({key.Key.Fingerprint}): {material.Location}");
            }

            if (verifiedBy.Count == 0)
            {
                problems.Add(problem ?? $"{material.Location}: not signed by any trusted key ({string.Join(", ", requirement.Keys.Select(k => k.Name))})");
            }
        }

        var reasons = signers.Values.Order(StringComparer.Ordinal).ToList();
        var passed = signers.Count >= requirement.Minimum;
        if (!passed)
        {
            var why = signers.Count > 0 ? "not enough trusted keys"
                : otherDigest ? "signature does not match the digest"
                : unreadable ? "signature cannot be read"
                : "signed, but by no trusted key";
            reasons.Insert(0, $"{why}: {signers.Count} of the required {requirement.Minimum} trusted key(s) signed {subject}");
            reasons.AddRange(problems);
        }

        return new CheckResult(PolicyCheckKind.RequireSignature, passed, reasons);
    }

    private static CheckResult CheckVulnerabilities(VulnerabilityRequirement requirement, ImageFacts image, DateTimeOffset now)
    {
        if (image.Scan is not { } scan)
        {
            return Fail(PolicyCheckKind.Vulnerabilities, "the image has not been scanned yet");
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var over = new List<string>();
        var unfixed = 0;
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        var expired = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var finding in scan.Vulnerabilities)
        {
            if (!Exceeds(finding.Severity, requirement.MaximumSeverity))
            {
                continue;
            }

            if (requirement.IgnoreUnfixed && !finding.HasFix)
            {
                unfixed++;
                continue;
            }

            if (FindAllowance(requirement.Allow, finding) is { } allowance)
            {
                if (allowance.Expires is not { } expires || today < expires)
                {
                    allowed.Add($"{allowance.Id} allowed{(allowance.Expires is { } until ? $" until {until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "")}: {allowance.Reason}");
                    continue;
                }

                expired.Add($"the allowance of {allowance.Id} expired on {expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            }

            over.Add($"{finding.Id} ({Rating(finding.Severity)}) in {finding.Package}: "
                + (finding.HasFix ? $"fixed in {string.Join(", ", finding.FixedVersions)}" : "no fix available"));
        }

        var threshold = requirement.MaximumSeverity == SeverityRating.None ? "any vulnerability" : $"severity above {Rating(requirement.MaximumSeverity)}";
        var reasons = new List<string>();
        if (over.Count > 0)
        {
            reasons.Add($"{over.Count} finding(s) with {threshold}");
            reasons.AddRange(over.Take(MaxListedFindings));
            if (over.Count > MaxListedFindings)
            {
                reasons.Add($"… and {over.Count - MaxListedFindings} more");
            }
        }
        else
        {
            reasons.Add($"no finding with {threshold} ({scan.Vulnerabilities.Count} finding(s) in total)");
        }

        reasons.AddRange(expired);
        reasons.AddRange(allowed);
        if (unfixed > 0)
        {
            reasons.Add($"{unfixed} finding(s) without a fix ignored (ignoreUnfixed)");
        }

        return new CheckResult(PolicyCheckKind.Vulnerabilities, over.Count == 0, reasons);
    }

    private static bool Exceeds(SeverityRating rating, SeverityRating maximum) =>
        maximum == SeverityRating.None || rating > maximum;

    private static AllowedAdvisory? FindAllowance(IReadOnlyList<AllowedAdvisory> allow, VulnerabilityFact finding)
    {
        foreach (var allowance in allow)
        {
            if (string.Equals(allowance.Id, finding.Id, StringComparison.OrdinalIgnoreCase)
                || finding.Aliases.Any(a => string.Equals(a, allowance.Id, StringComparison.OrdinalIgnoreCase)))
            {
                return allowance;
            }
        }

        return null;
    }

    private static string Rating(SeverityRating rating) => rating.ToString().ToLowerInvariant();

    private static CheckResult CheckImage(ImageRequirement requirement, ImageFacts image, DateTimeOffset now)
    {
        var reasons = new List<string>();
        var passed = true;
        if (requirement.NoRootUser)
        {
            if (image.Config is not { } config)
            {
                passed = false;
                reasons.Add("the image config is not known, so its user cannot be checked");
            }
            else if (IsRoot(config.Config?.User))
            {
                passed = false;
                reasons.Add(string.IsNullOrEmpty(config.Config?.User)
                    ? "the image runs as root (no user set in its config)"
                    : $"the image runs as root (user '{config.Config!.User}')");
            }
            else
            {
                reasons.Add($"the image runs as user '{config.Config!.User}'");
            }
        }

        if (requirement.MaximumAgeDays is { } days)
        {
            if (image.Config?.Created is not { } created)
            {
                passed = false;
                reasons.Add("the image config has no creation time, so its age is unknown");
            }
            else
            {
                var age = now - created;
                var built = created.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (age > TimeSpan.FromDays(days))
                {
                    passed = false;
                    reasons.Add(string.Create(CultureInfo.InvariantCulture, $"built {built}, {(int)age.TotalDays} days ago: older than {days} days"));
                }
                else
                {
                    reasons.Add(string.Create(CultureInfo.InvariantCulture, $"built {built}, {Math.Max(0, (int)age.TotalDays)} days ago"));
                }
            }
        }

        if (requirement.NoSecrets)
        {
            if (image.Scan is not { } scan)
            {
                passed = false;
                reasons.Add("the image has not been scanned yet, so secrets are unknown");
            }
            else if (scan.SecretsFound > 0)
            {
                passed = false;
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{scan.SecretsFound} secret(s) found in the image"));
            }
            else
            {
                reasons.Add("no secrets found");
            }
        }

        return new CheckResult(PolicyCheckKind.Image, passed, reasons);
    }

    /// <summary>
    /// An empty user runs as root; otherwise the part before <c>:</c> is the user, root when it is <c>root</c> or uid 0
    /// (<c>0</c>, <c>0:0</c>, <c>root:root</c>). A user name other than root is taken as non-root: the image's
    /// <c>/etc/passwd</c> is not consulted.
    /// </summary>
    public static bool IsRoot(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return true;
        }

        var name = user.Split(':', 2)[0].Trim();
        return name.Length == 0 || name == "root"
            || (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid == 0);
    }

    private static CheckResult CheckProvenance(ProvenanceRequirement requirement, ImageFacts image)
    {
        if (image.Digest is not { } digest)
        {
            return Fail(PolicyCheckKind.Provenance, "the image has no manifest digest (local source), so it has no attestations");
        }

        var problems = new List<string>();
        var provenanceSeen = 0;
        foreach (var material in image.Attestations.Take(MaxSignedMaterials))
        {
            if (SignatureVerification.ReadEnvelope(material, out var problem) is not { } bundle)
            {
                problems.Add($"{material.Location}: {problem}");
                continue;
            }

            string predicateType;
            try
            {
                predicateType = InTotoStatement.Read(bundle.Envelope!.Payload).PredicateType;
            }
            catch (SignatureFormatException e)
            {
                problems.Add($"{material.Location}: {e.Message}");
                continue;
            }

            if (!ProvenancePredicateTypes.Contains(predicateType))
            {
                continue;
            }

            provenanceSeen++;
            string? detail = null;
            foreach (var key in requirement.Keys)
            {
                var outcome = SigstoreBundleVerifier.Verify(bundle, key.Key, digest);
                if (outcome.Verified)
                {
                    return Pass(PolicyCheckKind.Provenance,
                        $"SLSA provenance ({predicateType}) signed by key '{key.Name}' ({key.Key.Fingerprint}): {material.Location}");
                }

                detail ??= $"{outcome.Detail} (key '{key.Name}')";
            }

            problems.Add($"{material.Location}: {detail}");
        }

        var reasons = new List<string>
        {
            provenanceSeen == 0
                ? $"no SLSA provenance attestation found for {digest}"
                : $"no SLSA provenance attestation for {digest} verified with a trusted key ({string.Join(", ", requirement.Keys.Select(k => k.Name))})",
        };
        reasons.AddRange(problems);
        return new CheckResult(PolicyCheckKind.Provenance, false, reasons);
    }

    private static CheckResult Pass(PolicyCheckKind kind, string reason) => new(kind, true, [reason]);

    private static CheckResult Fail(PolicyCheckKind kind, string reason) => new(kind, false, [reason]);
}
