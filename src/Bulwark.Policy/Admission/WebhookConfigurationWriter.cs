using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bulwark.Policy.Admission;

/// <summary>
/// Writes the <c>admissionregistration.k8s.io/v1</c> MutatingWebhookConfiguration and ValidatingWebhookConfiguration for
/// a Bulwark server: AdmissionReview v1 only, <c>sideEffects: None</c>, <c>failurePolicy: Fail</c> (a server that cannot
/// answer blocks pod creation rather than letting unchecked images run), a timeout, a namespaceSelector that leaves out
/// kube-system and Bulwark's own namespace (so the cluster and Bulwark itself can always start), and rules for Pods,
/// the ephemeral-containers subresource and every workload kind with a pod template.
/// </summary>
public static class WebhookConfigurationWriter
{
    public const string ValidatePath = "/k8s/admission/validate";
    public const string MutatePath = "/k8s/admission/mutate";

    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Both configurations as one multi-document YAML text (mutating first, the order kube-apiserver calls them in).</summary>
    /// <exception cref="ArgumentException">An option is invalid (not https, no certificate, a bad name or timeout).</exception>
    public static string Write(WebhookConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var caBundle = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.CaBundlePem));
        var text = new StringBuilder();
        Append(text, options, "MutatingWebhookConfiguration", "mutate", MutatePath, caBundle, mutating: true);
        text.Append("---\n");
        Append(text, options, "ValidatingWebhookConfiguration", "validate", ValidatePath, caBundle, mutating: false);
        return text.ToString();
    }

    private static void Append(StringBuilder text, WebhookConfigurationOptions options, string kind, string suffix, string path, string caBundle, bool mutating)
    {
        var url = new Uri(options.Url, options.Url.AbsolutePath.TrimEnd('/') + path).ToString();
        text.Append("apiVersion: admissionregistration.k8s.io/v1\n");
        text.Append($"kind: {kind}\n");
        text.Append("metadata:\n");
        text.Append($"  name: {Q(options.Name)}\n");
        text.Append("  labels:\n");
        text.Append("    app.kubernetes.io/managed-by: bulwark\n");
        text.Append("webhooks:\n");
        text.Append($"- name: {Q($"{suffix}.{options.Name}.bulwark.dev")}\n");
        text.Append("  admissionReviewVersions: [\"v1\"]\n");
        text.Append("  sideEffects: None\n");
        text.Append("  failurePolicy: Fail\n");
        text.Append("  matchPolicy: Equivalent\n");
        text.Append($"  timeoutSeconds: {options.TimeoutSeconds}\n");
        if (mutating)
        {
            // Another mutating webhook that changes an image afterwards gets it pinned too.
            text.Append("  reinvocationPolicy: IfNeeded\n");
        }

        text.Append("  clientConfig:\n");
        text.Append($"    url: {Q(url)}\n");
        text.Append($"    caBundle: {Q(caBundle)}\n");
        text.Append("  namespaceSelector:\n");
        text.Append("    matchExpressions:\n");
        text.Append("    - key: kubernetes.io/metadata.name\n");
        text.Append("      operator: NotIn\n");
        text.Append($"      values: [{string.Join(", ", options.ExcludedNamespaces.Select(Q))}]\n");
        text.Append("  rules:\n");
        text.Append("  - apiGroups: [\"\"]\n");
        text.Append("    apiVersions: [\"v1\"]\n");
        text.Append("    operations: [\"CREATE\", \"UPDATE\"]\n");
        text.Append("    resources: [\"pods\", \"pods/ephemeralcontainers\", \"replicationcontrollers\", \"podtemplates\"]\n");
        text.Append("    scope: Namespaced\n");
        text.Append("  - apiGroups: [\"apps\"]\n");
        text.Append("    apiVersions: [\"v1\"]\n");
        text.Append("    operations: [\"CREATE\", \"UPDATE\"]\n");
        text.Append("    resources: [\"deployments\", \"replicasets\", \"statefulsets\", \"daemonsets\"]\n");
        text.Append("    scope: Namespaced\n");
        text.Append("  - apiGroups: [\"batch\"]\n");
        text.Append("    apiVersions: [\"v1\"]\n");
        text.Append("    operations: [\"CREATE\", \"UPDATE\"]\n");
        text.Append("    resources: [\"jobs\", \"cronjobs\"]\n");
        text.Append("    scope: Namespaced\n");
    }

    // A JSON string is a valid YAML double-quoted scalar: no value can break out of its field.
    private static string Q(string value) => JsonSerializer.Serialize(value, Quoting);

    private static void Validate(WebhookConfigurationOptions options)
    {
        if (!options.Url.IsAbsoluteUri || options.Url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"--url must be an https:// URL (kube-apiserver calls webhooks over TLS only), not {options.Url}");
        }

        if (!string.IsNullOrEmpty(options.Url.Query) || !string.IsNullOrEmpty(options.Url.Fragment) || !string.IsNullOrEmpty(options.Url.UserInfo))
        {
            throw new ArgumentException("--url must not carry a query, fragment or user info");
        }

        if (!options.CaBundlePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new ArgumentException("--ca-bundle must be a PEM file with at least one CERTIFICATE");
        }

        if (!IsDnsSubdomain(options.Name))
        {
            throw new ArgumentException($"--name {options.Name}: must be a lower-case DNS name (a-z, 0-9, '-', '.')");
        }

        foreach (var ns in options.ExcludedNamespaces)
        {
            if (!IsDnsSubdomain(ns) || ns.Contains('.', StringComparison.Ordinal) || ns.Length > 63)
            {
                throw new ArgumentException($"--namespace-exclude {ns}: not a namespace name");
            }
        }

        if (options.TimeoutSeconds is < 1 or > 30)
        {
            throw new ArgumentException("--timeout must be between 1 and 30 seconds (kube-apiserver's range)");
        }
    }

    private static bool IsDnsSubdomain(string name) =>
        name.Length is > 0 and <= 200 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
}
