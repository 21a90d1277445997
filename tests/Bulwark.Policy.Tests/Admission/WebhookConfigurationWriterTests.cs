using System.Text;
using Bulwark.Policy.Admission;
using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Tests.Admission;

public sealed class WebhookConfigurationWriterTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUb3Vy\n-----END CERTIFICATE-----\n";

    private static WebhookConfigurationOptions Options() => new() { Url = new Uri("https://bulwark.example.com:8443/"), CaBundlePem = Pem };

    [Fact]
    public void Write_ParsesBackAsBothConfigurations()
    {
        var yaml = WebhookConfigurationWriter.Write(Options() with { ExcludedNamespaces = ["kube-system", "bulwark-system"], TimeoutSeconds = 7 });

        var objects = ManifestReader.Read(yaml, "webhooks.yaml", json: false, ManifestLimits.Default);

        Assert.Equal(["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], objects.Select(o => o.Kind));
        foreach (var (o, path) in objects.Zip(["/k8s/admission/mutate", "/k8s/admission/validate"]))
        {
            Assert.Equal("admissionregistration.k8s.io/v1", o.ApiVersion);
            Assert.Equal("bulwark", o.Metadata.Name);
            var webhook = Assert.Single(o.Json["webhooks"]!.AsArray())!;
            Assert.Equal(["v1"], webhook["admissionReviewVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
            Assert.Equal("None", webhook["sideEffects"]!.GetValue<string>());
            Assert.Equal("Fail", webhook["failurePolicy"]!.GetValue<string>());
            Assert.Equal(7L, webhook["timeoutSeconds"]!.GetValue<long>());
            Assert.Equal($"https://bulwark.example.com:8443{path}", webhook["clientConfig"]!["url"]!.GetValue<string>());
            Assert.Equal(Pem, Encoding.UTF8.GetString(Convert.FromBase64String(webhook["clientConfig"]!["caBundle"]!.GetValue<string>())));
            var selector = Assert.Single(webhook["namespaceSelector"]!["matchExpressions"]!.AsArray())!;
            Assert.Equal(("kubernetes.io/metadata.name", "NotIn"), (selector["key"]!.GetValue<string>(), selector["operator"]!.GetValue<string>()));
            Assert.Equal(["kube-system", "bulwark-system"], selector["values"]!.AsArray().Select(v => v!.GetValue<string>()));
            var resources = webhook["rules"]!.AsArray().SelectMany(r => r!["resources"]!.AsArray().Select(v => $"{r["apiGroups"]![0]}/{v}")).ToList();
            Assert.Equal(["/pods", "/pods/ephemeralcontainers", "/replicationcontrollers", "/podtemplates", "apps/deployments", "apps/replicasets",
                "apps/statefulsets", "apps/daemonsets", "batch/jobs", "batch/cronjobs"], resources);
            Assert.All(webhook["rules"]!.AsArray(), r => Assert.Equal(["CREATE", "UPDATE"], r!["operations"]!.AsArray().Select(v => v!.GetValue<string>())));
        }

        Assert.Equal("IfNeeded", objects[0].Json["webhooks"]![0]!["reinvocationPolicy"]!.GetValue<string>());
        Assert.Null(objects[1].Json["webhooks"]![0]!["reinvocationPolicy"]);
    }

    [Fact]
    public void Write_UrlWithPath_KeepsIt()
    {
        var yaml = WebhookConfigurationWriter.Write(Options() with { Url = new Uri("https://gw.example.com/bulwark") });
        var o = ManifestReader.Read(yaml, "w.yaml", json: false, ManifestLimits.Default)[1];
        Assert.Equal("https://gw.example.com/bulwark/k8s/admission/validate", o.Json["webhooks"]![0]!["clientConfig"]!["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://bulwark.example.com", null, null, "https://")]
    [InlineData("https://bulwark.example.com/?x=1", null, null, "query")]
    [InlineData("https://bulwark.example.com", "Bulwark", null, "--name")]
    [InlineData("https://bulwark.example.com", "x\"\ny: z", null, "--name")]
    [InlineData("https://bulwark.example.com", null, "Kube-System", "--namespace-exclude")]
    [InlineData("https://bulwark.example.com", null, "a.b", "--namespace-exclude")]
    public void Write_BadOption_IsRefused(string url, string? name, string? excluded, string message)
    {
        var options = Options() with { Url = new Uri(url) };
        options = name is null ? options : options with { Name = name };
        options = excluded is null ? options : options with { ExcludedNamespaces = [excluded] };
        var error = Assert.Throws<ArgumentException>(() => WebhookConfigurationWriter.Write(options));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NotAPemCertificate_OrBadTimeout_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => WebhookConfigurationWriter.Write(Options() with { CaBundlePem = "not a certificate" }));
        Assert.Throws<ArgumentException>(() => WebhookConfigurationWriter.Write(Options() with { TimeoutSeconds = 31 }));
        Assert.Throws<ArgumentException>(() => WebhookConfigurationWriter.Write(Options() with { TimeoutSeconds = 0 }));
    }
}
