using System.CommandLine;
using Bulwark.Policy.Admission;

namespace Bulwark.Cli.Commands.K8s;

/// <summary>
/// <c>bulwark k8s webhook-config --url https://… --ca-bundle FILE [--name …] [--namespace-exclude …]</c>: prints the
/// MutatingWebhookConfiguration and ValidatingWebhookConfiguration YAML for <c>kubectl apply -f -</c>.
/// </summary>
internal static class K8sWebhookConfigCommand
{
    /// <summary>Largest CA bundle file read.</summary>
    public const int MaxCaBundleBytes = 1024 * 1024;

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The Bulwark server's https:// base URL as the cluster reaches it", Required = true };
        var caBundle = new Option<string>("--ca-bundle") { Description = "PEM file of the CA that signed the server's TLS certificate", Required = true };
        var name = new Option<string>("--name") { Description = "Name of the two configurations (default bulwark)", DefaultValueFactory = _ => "bulwark" };
        var exclude = new Option<string[]>("--namespace-exclude")
        {
            Description = "Namespace the webhooks are not called for (repeatable; default kube-system and bulwark)",
        };
        var timeout = new Option<int>("--timeout") { Description = "Seconds kube-apiserver waits for Bulwark (1-30)", DefaultValueFactory = _ => 5 };
        var command = new Command("webhook-config", "Print the Validating- and MutatingWebhookConfiguration YAML for a Bulwark server")
        {
            url, caBundle, name, exclude, timeout,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var file = new FileInfo(result.GetValue(caBundle)!);
                if (!file.Exists)
                {
                    throw new ArgumentException($"--ca-bundle {file}: no such file");
                }

                if (file.Length > MaxCaBundleBytes)
                {
                    throw new ArgumentException($"--ca-bundle {file}: larger than {MaxCaBundleBytes} bytes");
                }

                if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var parsed))
                {
                    throw new ArgumentException($"--url {result.GetValue(url)}: not an absolute URL");
                }

                var excluded = result.GetValue(exclude) is { Length: > 0 } given ? given : ["kube-system", "bulwark"];
                var yaml = WebhookConfigurationWriter.Write(new WebhookConfigurationOptions
                {
                    Url = parsed,
                    CaBundlePem = await File.ReadAllTextAsync(file.FullName, cancellationToken),
                    Name = result.GetValue(name)!,
                    ExcludedNamespaces = excluded,
                    TimeoutSeconds = result.GetValue(timeout),
                });
                await Console.Out.WriteAsync(yaml);
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"bulwark k8s webhook-config: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}
