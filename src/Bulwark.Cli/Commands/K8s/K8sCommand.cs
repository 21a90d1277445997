using System.CommandLine;

namespace Bulwark.Cli.Commands.K8s;

/// <summary><c>bulwark k8s</c>: Kubernetes commands.</summary>
internal static class K8sCommand
{
    public static Command Create() => new("k8s", "Kubernetes: check manifests, and configure the admission webhooks")
    {
        K8sCheckCommand.Create(),
        K8sWebhookConfigCommand.Create(),
    };
}
