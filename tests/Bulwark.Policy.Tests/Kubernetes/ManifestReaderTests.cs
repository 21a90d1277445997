using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Tests.Kubernetes;

public sealed class ManifestReaderTests
{
    private static IReadOnlyList<KubernetesObject> Yaml(string text, ManifestLimits? limits = null) =>
        ManifestReader.Read(text, "test.yaml", json: false, limits ?? ManifestLimits.Default);

    [Fact]
    public void Read_HelmRenderedOutput_SkipsCommentsAndEmptyDocuments()
    {
        const string text = """
            ---
            # Source: chart/templates/serviceaccount.yaml
            ---
            # Source: chart/templates/service.yaml
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            ---
            # Source: chart/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
            spec:
              template:
                metadata:
                  annotations:
                    container.apparmor.security.beta.kubernetes.io/app: runtime/default
                spec:
                  containers:
                  - name: app
                    image: "registry.example/web:1.0"
            """;

        var objects = Yaml(text);

        Assert.Equal(["Service/web", "Deployment/web"], objects.Select(o => o.DisplayName));
        Assert.Equal([2, 3], objects.Select(o => o.Document));
        Assert.Equal(11, objects[1].Line);
        var workload = PodWorkloads.Find(objects[1]);
        Assert.NotNull(workload);
        Assert.Equal("spec.template.spec", workload.SpecPath);
        Assert.Equal("registry.example/web:1.0", Assert.Single(workload.Spec.Containers!).Image);
        Assert.Equal("runtime/default", workload.Metadata.Annotations!["container.apparmor.security.beta.kubernetes.io/app"]);
        Assert.Null(PodWorkloads.Find(objects[0]));
    }

    [Fact]
    public void Read_KubectlList_ExpandsItems()
    {
        const string text = """
            apiVersion: v1
            kind: List
            metadata:
              resourceVersion: ""
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {name: a, namespace: x}
              spec: {containers: [{name: c, image: i}]}
            - apiVersion: batch/v1
              kind: CronJob
              metadata: {name: b}
              spec:
                schedule: "* * * * *"
                jobTemplate:
                  spec:
                    template:
                      spec:
                        hostNetwork: true
                        containers: [{name: c, image: i}]
            """;

        var objects = Yaml(text);

        Assert.Equal([0, 1], objects.Select(o => o.Item));
        var cron = PodWorkloads.Find(objects[1])!;
        Assert.Equal("spec.jobTemplate.spec.template.spec", cron.SpecPath);
        Assert.True(cron.Spec.HostNetwork);
        Assert.Equal("test.yaml: document 1, item 2", objects[1].Location);
    }

    [Theory]
    [InlineData("Pod", "v1", "spec")]
    [InlineData("PodTemplate", "v1", "template.spec")]
    [InlineData("ReplicationController", "v1", "spec.template.spec")]
    [InlineData("Deployment", "apps/v1", "spec.template.spec")]
    [InlineData("ReplicaSet", "apps/v1", "spec.template.spec")]
    [InlineData("StatefulSet", "apps/v1", "spec.template.spec")]
    [InlineData("DaemonSet", "apps/v1", "spec.template.spec")]
    [InlineData("Job", "batch/v1", "spec.template.spec")]
    [InlineData("CronJob", "batch/v1", "spec.jobTemplate.spec.template.spec")]
    public void Find_EveryPodKind_FindsInitRegularAndEphemeralContainers(string kind, string apiVersion, string specPath)
    {
        var spec = "{initContainers: [{name: i}], containers: [{name: c}], ephemeralContainers: [{name: e}]}";
        var body = specPath.Split('.').Reverse().Aggregate(spec, (inner, key) => $"{{{key}: {inner}}}");
        var text = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: w}}\n" + body[1..^1];

        var workload = PodWorkloads.Find(Assert.Single(Yaml(text)));

        Assert.NotNull(workload);
        Assert.Equal(specPath, workload.SpecPath);
        Assert.Equal(["i", "c", "e"], workload.Spec.AllContainers().Select(c => c.Name));
    }

    [Fact]
    public void Find_CustomResourceNamedLikeAWorkload_IsNotAPod()
    {
        var o = Assert.Single(Yaml("apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {}}}"));

        Assert.Null(PodWorkloads.Find(o));
    }

    [Fact]
    public void Read_Json_IsOneDocument()
    {
        var objects = ManifestReader.Read("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","securityContext":{"privileged":true}}]}}""",
            "pod.json", json: true, ManifestLimits.Default);

        Assert.True(PodWorkloads.Find(Assert.Single(objects))!.Spec.Containers![0].SecurityContext!.Privileged);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    public void Read_Yaml11Booleans_ResolveAsKubectlDoes(string value, bool expected)
    {
        var o = Assert.Single(Yaml($"apiVersion: v1\nkind: Pod\nspec:\n  hostPID: {value}\n  containers: []"));

        Assert.Equal(expected, PodWorkloads.Find(o)!.Spec.HostPid);
    }

    [Fact]
    public void Read_AnchorsAndAliases_AreExpanded()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - name: a
                securityContext: &sc {runAsUser: 0}
              - name: b
                securityContext: *sc
            """;

        var spec = PodWorkloads.Find(Assert.Single(Yaml(text)))!.Spec;

        Assert.All(spec.Containers!, c => Assert.Equal(0, c.SecurityContext!.RunAsUser));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nspec: [unclosed", "document 1", "not valid YAML")]
    [InlineData("apiVersion: v1\nkind: Service\n---\n- a list\n", "document 2", "not a mapping")]
    [InlineData("kind: Pod\nspec: {}\n", "document 1", "no apiVersion")]
    [InlineData("apiVersion: v1\nkind: Pod\nkind: Pod\n", "document 1", "duplicate mapping key \"kind\"")]
    [InlineData("apiVersion: v1\nkind: Pod\nspec: {hostPID: \"true\", containers: []}\n", "document 1", "spec.hostPID: wrong type")]
    [InlineData("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    ports: [{hostPort: eighty}]\n", "document 1", "spec.containers[0].ports[0].hostPort: wrong type")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n", "document 1", "Deployment/d has no spec.template.spec")]
    public void Read_BadInput_NamesFileDocumentAndProblem(string text, string document, string problem)
    {
        var error = Assert.Throws<ManifestException>(() =>
        {
            foreach (var o in Yaml(text))
            {
                PodWorkloads.Find(o);
            }
        });

        Assert.StartsWith("test.yaml: " + document, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BillionLaughs_IsRefusedByTheNodeLimit()
    {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 1; i < 9; i++)
        {
            text += $"{(char)('a' + i)}: &{(char)('a' + i)} [" + string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10)) + "]\n";
        }

        var error = Assert.Throws<ManifestException>(() => Yaml(text));

        Assert.Contains("aliases expanded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeepNesting_IsRefusedWithoutOverflowingTheStack()
    {
        var text = new string('[', 100_000);

        var error = Assert.Throws<ManifestException>(() => Yaml(text));

        Assert.Contains("nesting deeper than 200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooManyDocuments_IsRefused()
    {
        var text = string.Concat(Enumerable.Repeat("---\napiVersion: v1\nkind: ConfigMap\n", 11));

        var error = Assert.Throws<ManifestException>(() => Yaml(text, new ManifestLimits { MaxDocuments = 10 }));

        Assert.Contains("more than 10 YAML documents", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFile_OverTheSizeLimit_IsRefused()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "apiVersion: v1\nkind: ConfigMap\n" + new string('#', 2000));

            var error = await Assert.ThrowsAsync<ManifestException>(() => ManifestReader.ReadFileAsync(path, new ManifestLimits { MaxFileBytes = 1000 }, CancellationToken.None));

            Assert.Contains("larger than 1000 bytes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadFile_NotUtf8_IsRefused()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, [0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);

            var error = await Assert.ThrowsAsync<ManifestException>(() => ManifestReader.ReadFileAsync(path, ManifestLimits.Default, CancellationToken.None));

            Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
