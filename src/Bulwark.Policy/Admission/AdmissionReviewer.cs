using System.Text.Json.Nodes;
using Bulwark.Oci;
using Bulwark.Policy.Kubernetes;
using Bulwark.Policy.Workloads;

namespace Bulwark.Policy.Admission;

/// <summary>
/// Decides admission reviews: the Pod Security Standards at the namespace's level (with exemptions) and the image
/// rules for every init, regular and ephemeral container, for Pods and every kind that embeds a pod template.
/// No ASP.NET here: the server reads the body, calls this and writes the answer.
/// </summary>
public sealed class AdmissionReviewer(AdmissionOptions options, IAdmissionImageFacts facts)
{
    /// <summary>Most warnings returned in audit mode; further findings are summed up in one last warning.</summary>
    public const int MaxWarnings = 50;

    /// <summary>Signatures that did not verify named in one <c>signature</c> finding, after its one-phrase reason.</summary>
    public const int MaxSignatureReasons = 3;

    public AdmissionOptions Options => options;

    /// <summary>The validating webhook's decision.</summary>
    /// <exception cref="AdmissionReviewException">The reviewed object is malformed (a field of the wrong type, no pod template).</exception>
    public async Task<AdmissionDecision> ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ns = request.Namespace.Length > 0 ? request.Namespace : "default";
        var (workload, skipped) = Extract(request);
        if (workload is null)
        {
            return new AdmissionDecision(request.Uid, true, Describe(request), ns, skipped, null, [], []);
        }

        var findings = new List<AdmissionFinding>();
        var podSecurity = CheckPodSecurity(workload, ns, request.Username, findings);
        var seen = new Dictionary<string, IReadOnlyList<AdmissionFinding>>(StringComparer.Ordinal);
        foreach (var container in Containers(workload))
        {
            var key = container.Image ?? "";
            if (!seen.TryGetValue(key, out var imageFindings))
            {
                imageFindings = await CheckImageAsync(container.Image, cancellationToken).ConfigureAwait(false);
                seen[key] = imageFindings;
            }

            findings.AddRange(imageFindings.Select(f => f with { Container = container.Name }));
        }

        var subject = Subject(request, workload.Source);
        if (options.Mode == AdmissionMode.Audit || findings.Count == 0)
        {
            return new AdmissionDecision(request.Uid, true, subject, ns, null, podSecurity, findings, Warnings(findings));
        }

        return new AdmissionDecision(request.Uid, false, subject, ns, null, podSecurity, findings, []);
    }

    /// <summary>
    /// The mutating webhook's pins: every container whose image is on this registry by tag (no digest) and resolves gets
    /// <c>image@digest</c>. On UPDATE only images that changed are pinned, so that scaling a Deployment does not roll it.
    /// </summary>
    /// <exception cref="AdmissionReviewException">The reviewed object is malformed.</exception>
    public async Task<IReadOnlyList<ImagePin>> MutateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (workload, _) = Extract(request);
        if (workload is null)
        {
            return [];
        }

        var pins = new List<ImagePin>();
        foreach (var container in Containers(workload))
        {
            if (container.Image is not { } image || !ImageReference.TryParse(image, out var reference) || reference.Digest is not null
                || !IsThisRegistry(reference.Registry))
            {
                continue;
            }

            if (request.OldObject is { } old && ValueAt(old, container.ImagePointer) == image)
            {
                continue;
            }

            var imageFacts = await facts.GetAsync(reference, cancellationToken).ConfigureAwait(false);
            if (imageFacts.Digest is { } digest)
            {
                pins.Add(new ImagePin(container.ImagePointer, container.Name, image, $"{image}@{digest}"));
            }
        }

        return pins;
    }

    /// <summary>The image rules for one image reference (container left null in the findings).</summary>
    public async Task<IReadOnlyList<AdmissionFinding>> CheckImageAsync(string? image, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(image))
        {
            return [new AdmissionFinding(AdmissionRules.ImageReference, null, null, null, "no image given")];
        }

        if (!ImageReference.TryParse(image, out var reference))
        {
            return [new AdmissionFinding(AdmissionRules.ImageReference, null, null, image, "not a valid image reference")];
        }

        var findings = new List<AdmissionFinding>();
        if (options.AllowedRegistries.Count > 0 && !options.AllowedRegistries.Contains(reference.Registry, StringComparer.OrdinalIgnoreCase))
        {
            findings.Add(new AdmissionFinding(AdmissionRules.AllowedRegistries, null, null, image,
                $"registry \"{reference.Registry}\" is not in allowedRegistries ({string.Join(", ", options.AllowedRegistries)})"));
        }

        if (!IsThisRegistry(reference.Registry))
        {
            return findings;
        }

        // Runtimes pull by digest when one is given, so a pinned reference is judged by its digest alone.
        var asked = reference.Digest is null ? reference : reference with { Tag = null };
        var known = await facts.GetAsync(asked, cancellationToken).ConfigureAwait(false);
        if (known.Digest is not { } digest)
        {
            findings.Add(new AdmissionFinding(AdmissionRules.Resolvable, null, null, image,
                $"{reference.Repository}{(reference.Digest is { } d ? "@" + d : ":" + reference.Tag)} does not exist on this registry"));
            return findings;
        }

        var why = known.Reasons.Count == 0 ? "" : $": {string.Join("; ", known.Reasons)}";
        switch (known.Decision)
        {
            case ImageDecision.Fail:
                findings.Add(new AdmissionFinding(AdmissionRules.ScanPolicy, null, null, image, $"{digest} fails policy (quarantined){why}"));
                break;
            case ImageDecision.Pending:
                findings.Add(new AdmissionFinding(AdmissionRules.ScanPolicy, null, null, image, $"{digest} is not decided yet (scan pending){why}"));
                break;
            case ImageDecision.Unknown:
                findings.Add(new AdmissionFinding(AdmissionRules.ScanPolicy, null, null, image, $"{digest} has not been scanned{why}"));
                break;
        }

        if (options.RequireSignature && known.SignatureVerified != true)
        {
            findings.Add(new AdmissionFinding(AdmissionRules.Signature, null, null, image, known.SignatureVerified is false
                ? SignatureMessage(digest, known.SignatureReasons)
                : $"{digest}: signature not verified (no verification available) and a signature is required"));
        }

        return findings;
    }

    // The headline and the first few signatures that did not verify: enough to act on, short enough for kubectl.
    private static string SignatureMessage(Digest digest, IReadOnlyList<string> reasons)
    {
        if (reasons.Count == 0)
        {
            return $"{digest} has no verified signature";
        }

        var shown = reasons.Take(MaxSignatureReasons + 1).ToList();
        var more = reasons.Count - shown.Count;
        return $"signature not verified: {string.Join("; ", shown)}{(more > 0 ? $"; … and {more} more" : "")}";
    }

    /// <summary>Whether <paramref name="registry"/> is one of the names of this Bulwark (exact host[:port], case-insensitive).</summary>
    public bool IsThisRegistry(string registry) => options.RegistryHosts.Contains(registry, StringComparer.OrdinalIgnoreCase);

    /// <summary>The containers of a pod (init, regular, ephemeral) with the pointer of each one's image.</summary>
    public static IReadOnlyList<AdmittedContainer> Containers(PodWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var specPointer = "/" + workload.SpecPath.Replace('.', '/');
        var result = new List<AdmittedContainer>();
        void Add(string field, IReadOnlyList<Container>? list)
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                result.Add(new AdmittedContainer(list![i].Name ?? $"{field}[{i}]", list[i].Image, $"{specPointer}/{field}/{i}/image"));
            }
        }

        Add("initContainers", workload.Spec.InitContainers);
        Add("containers", workload.Spec.Containers);
        Add("ephemeralContainers", workload.Spec.EphemeralContainers);
        return result;
    }

    private string? CheckPodSecurity(PodWorkload workload, string ns, string username, List<AdmissionFinding> findings)
    {
        var exemptions = options.Exemptions;
        if (exemptions.Namespaces.Contains(ns, StringComparer.Ordinal))
        {
            return $"exempt: namespace \"{ns}\"";
        }

        if (workload.Spec.RuntimeClassName is { Length: > 0 } runtimeClass && exemptions.RuntimeClasses.Contains(runtimeClass, StringComparer.Ordinal))
        {
            return $"exempt: runtime class \"{runtimeClass}\"";
        }

        if (username.Length > 0 && exemptions.Usernames.Contains(username, StringComparer.Ordinal))
        {
            return $"exempt: user \"{username}\"";
        }

        var serviceAccount = WorkloadChecker.ServiceAccountUsername(ns, workload.Spec);
        if (exemptions.Usernames.Contains(serviceAccount, StringComparer.Ordinal))
        {
            return $"exempt: service account \"{serviceAccount}\"";
        }

        var (level, version) = options.Namespaces.TryGetValue(ns, out var configured) ? (configured.Level, configured.Version) : (options.Level, options.Version);
        var levelName = $"{PodSecurityLevels.Name(level)}:{version}";
        foreach (var violation in PodSecurityEvaluator.Evaluate(level, version, workload.Metadata, workload.Spec))
        {
            // The detail already names the containers (upstream's wording), so the finding is pod-level.
            findings.Add(new AdmissionFinding(AdmissionRules.PodSecurity, violation.CheckId, null, null, $"violates PodSecurity \"{levelName}\": {violation}"));
        }

        return levelName;
    }

    private static List<string> Warnings(List<AdmissionFinding> findings)
    {
        var warnings = findings.Take(MaxWarnings).Select(f => f.ToString()).ToList();
        if (findings.Count > MaxWarnings)
        {
            warnings.Add($"… and {findings.Count - MaxWarnings} more finding(s)");
        }

        return warnings;
    }

    private static (PodWorkload? Workload, string? Skipped) Extract(AdmissionRequest request)
    {
        if (request.Operation is not ("CREATE" or "UPDATE"))
        {
            return (null, $"{request.Operation} is not judged");
        }

        if (request.SubResource.Length > 0 && !(request.SubResource == "ephemeralcontainers" && request.Kind.Kind == "Pod"))
        {
            return (null, $"subresource {request.SubResource} is not judged");
        }

        if (request.NewObject is null)
        {
            throw new AdmissionReviewException($"request.object is missing for {request.Operation}");
        }

        var apiVersion = request.Kind.Group.Length == 0 ? request.Kind.Version : $"{request.Kind.Group}/{request.Kind.Version}";
        var o = ToObject(request.NewObject, apiVersion, request.Kind.Kind);
        PodWorkload? workload;
        try
        {
            workload = PodWorkloads.Find(o);
        }
        catch (ManifestException e)
        {
            throw new AdmissionReviewException($"request.object: {e.Problem}", e);
        }

        if (workload is null)
        {
            return (null, $"{request.Kind} runs no pods");
        }

        if (request.Operation == "UPDATE" && request.OldObject is { } old)
        {
            var pointer = "/" + workload.SpecPath.Replace('.', '/');
            if (JsonNode.DeepEquals(NodeAt(request.NewObject, pointer), NodeAt(old, pointer)))
            {
                // As upstream PodSecurity: an update that leaves the pod spec alone (labels, scaling) is not re-judged.
                return (null, "pod spec unchanged");
            }
        }

        return (workload, null);
    }

    private static KubernetesObject ToObject(JsonObject json, string apiVersion, string kind)
    {
        var document = new Kubernetes.ManifestDocument("AdmissionReview", 1, 0, json);
        try
        {
            var metadata = ManifestReader.Deserialize(json["metadata"], KubernetesJsonContext.Default.ObjectMeta, "metadata", document, "") ?? new ObjectMeta();
            return new KubernetesObject("AdmissionReview", 1, null, 0, apiVersion, kind, metadata, json);
        }
        catch (ManifestException e)
        {
            throw new AdmissionReviewException($"request.object: {e.Problem}", e);
        }
    }

    private static string Subject(AdmissionRequest request, KubernetesObject o)
    {
        var name = !string.IsNullOrEmpty(o.Metadata.Name) ? o.Metadata.Name
            : request.Name.Length > 0 ? request.Name
            : o.Json["metadata"]?["generateName"] is JsonValue g && g.TryGetValue<string>(out var prefix) ? prefix + "…" : "";
        return name.Length == 0 ? request.Kind.Kind : $"{request.Kind.Kind}/{name}";
    }

    private static string Describe(AdmissionRequest request) =>
        request.Name.Length == 0 ? request.Kind.Kind : $"{request.Kind.Kind}/{request.Name}";

    private static JsonNode? NodeAt(JsonNode? node, string pointer)
    {
        foreach (var step in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node switch
            {
                JsonObject o => o[step],
                JsonArray a when int.TryParse(step, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static string? ValueAt(JsonNode node, string pointer) =>
        NodeAt(node, pointer) is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
