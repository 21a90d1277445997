namespace Bulwark.Policy.Admission;

/// <summary>What <c>bulwark k8s webhook-config</c> writes into the two webhook configurations.</summary>
public sealed record WebhookConfigurationOptions
{
    /// <summary>The server's base URL (https), e.g. <c>https://bulwark.example.com</c>; the webhook paths are appended.</summary>
    public required Uri Url { get; init; }

    /// <summary>PEM of the CA that signed the server's certificate (kube-apiserver verifies the server with it).</summary>
    public required string CaBundlePem { get; init; }

    /// <summary>Prefix of the configurations' names and of the webhooks' names (<c>NAME.bulwark.dev</c>).</summary>
    public string Name { get; init; } = "bulwark";

    /// <summary>Namespaces the webhooks are not called for (default kube-system and Bulwark's own namespace).</summary>
    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = ["kube-system", "bulwark"];

    /// <summary>Seconds kube-apiserver waits for an answer before failurePolicy applies (1–30; default 5).</summary>
    public int TimeoutSeconds { get; init; } = 5;
}
