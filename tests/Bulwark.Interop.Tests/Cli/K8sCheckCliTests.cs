using System.Text.Json.Nodes;
using Bulwark.Interop.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark k8s check</c> as a user runs it: multi-document YAML, <c>kubectl get -o json</c> lists, Helm-rendered
/// output in a chart directory, the upstream Pod Security fixtures, the three exit codes and valid SARIF.
/// </summary>
public sealed class K8sCheckCliTests : IDisposable
{
    private const string RestrictedDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
            spec:
              securityContext:
                runAsNonRoot: true
                seccompProfile: {type: RuntimeDefault}
              containers:
              - name: web
                image: registry.example/web:1.0
                securityContext:
                  allowPrivilegeEscalation: false
                  capabilities: {drop: [ALL]}
        """;

    private readonly string work = Directory.CreateTempSubdirectory("bulwark-k8s-cli-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static Task<ToolResult> Bulwark(params string[] arguments) => BulwarkExecutable.RunAsync(["k8s", "check", .. arguments], CancellationToken.None);

    private string Write(string name, string text)
    {
        var path = Path.Combine(work, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task MultiDocument_AllAllowed_ExitsZeroAndSaysWhatWasChecked()
    {
        var file = Write("app.yaml", $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tools
              labels: {"pod-security.kubernetes.io/enforce": baseline}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {ports: [{port: 80}]}
            ---
            {{RestrictedDeployment}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: debug, namespace: tools}
            spec:
              containers: [{name: shell, image: debian}]
            """);

        var result = (await Bulwark(file)).AssertSucceeded();

        Assert.Contains("workload security only", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Deployment/web  namespace=shop  restricted:latest  allowed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Pod/debug  namespace=tools  baseline:latest  allowed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 workloads in 4 objects: 2 allowed, 0 denied", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivilegedDaemonSet_IsDenied_ExitOneWithTheViolation()
    {
        var file = Write("ds.yaml", """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              template:
                spec:
                  hostPID: true
                  initContainers: [{name: setup, image: busybox, securityContext: {privileged: true}}]
                  containers: [{name: agent, image: agent}]
            """);

        var result = await Bulwark(file, "--level", "baseline");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DaemonSet/agent  namespace=default  baseline:latest  DENIED", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[privileged] privileged (container \"setup\" must not set securityContext.privileged=true)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[hostNamespaces] host namespaces (hostPID=true)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExemptNamespace_IsAllowed()
    {
        var file = Write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: kube-system}\nspec: {hostNetwork: true, containers: [{name: c}]}\n");

        var result = (await Bulwark(file, "--exempt-namespace", "kube-system")).AssertSucceeded();

        Assert.Contains("allowed (exempt: namespace \"kube-system\" is exempt)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlGetJsonList_EachItemIsJudged()
    {
        var file = Write("pods.json", """
            {
              "apiVersion": "v1",
              "kind": "List",
              "metadata": {"resourceVersion": ""},
              "items": [
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ok", "namespace": "a"},
                 "spec": {"containers": [{"name": "c", "image": "i"}]}},
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad", "namespace": "a"},
                 "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostPort": 80}]}]}}
              ]
            }
            """);

        var result = await Bulwark(file, "--level", "baseline", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var json = JsonNode.Parse(result.StandardOutput)!;
        Assert.Equal([true, false], json["results"]!.AsArray().Select(r => (bool)r!["allowed"]!));
        Assert.Equal([1, 2], json["results"]!.AsArray().Select(r => (int)r!["item"]!));
        Assert.Equal("container \"c\" uses hostPort 80", (string)json["results"]![1]!["violations"]![0]!["detail"]!);
    }

    [Fact]
    public async Task HelmRenderedChartDirectory_IsSearchedRecursively()
    {
        Write("chart/README.md", "# not a manifest: ignored");
        Write("chart/rendered/all.yaml", $$"""
            ---
            # Source: web/templates/serviceaccount.yaml
            ---
            # Source: web/templates/deployment.yaml
            {{RestrictedDeployment}}
            """);
        Write("chart/rendered/sub/job.yml", """
            # Source: web/templates/job.yaml
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: shop}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: migrate, image: web, securityContext: {runAsUser: 0}}]
            """);

        var result = await Bulwark(Path.Combine(work, "chart"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("all.yaml:5  Deployment/web", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("job.yml:2  Job/migrate  namespace=shop  restricted:latest  DENIED", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[runAsUser] runAsUser=0 (container \"migrate\" must not set runAsUser=0)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_ToFile_IsValidAndStdoutIsEmpty()
    {
        var file = Write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, securityContext: {privileged: true}}]}\n");
        var output = Path.Combine(work, "out.sarif");

        var result = await Bulwark(file, "--format", "sarif", "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        var sarif = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Empty(OfficialSchemas.ValidateSarif(sarif.ToJsonString()));
        var rules = sarif["runs"]![0]!["results"]!.AsArray().Select(r => (string)r!["ruleId"]!).ToList();
        Assert.Contains("privileged", rules);
        Assert.Contains("runAsNonRoot", rules);
    }

    [Theory]
    [InlineData("pass", 0)]
    [InlineData("fail", 1)]
    public async Task UpstreamFixtures_RestrictedV137_GiveTheExpectedExitCode(string expected, int exitCode)
    {
        var directory = Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "pss", "restricted", "v1.37", expected);

        var result = await Bulwark(directory, "--k8s-version", "v1.37", "--format", "json");

        Assert.Equal(exitCode, result.ExitCode);
        var results = JsonNode.Parse(result.StandardOutput)!["results"]!.AsArray();
        Assert.Equal(Directory.GetFiles(directory, "*.yaml").Length, results.Count);
        Assert.All(results, r => Assert.Equal(expected == "pass", (bool)r!["allowed"]!));
    }

    [Fact]
    public async Task BadYaml_ExitsTwoNamingFileAndDocument()
    {
        var file = Write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Pod\nspec: {containers: [\n");

        var result = await Bulwark(file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}: document 2", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task MissingFile_ExitsTwo()
    {
        var result = await Bulwark(Path.Combine(work, "absent.yaml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such file or directory", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectoryWithoutManifests_ExitsTwo()
    {
        Write("docs/README.md", "nothing here");

        var result = await Bulwark(Path.Combine(work, "docs"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no *.yaml, *.yml or *.json files", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--level", "privileged")]
    [InlineData("--k8s-version", "1.30")]
    [InlineData("--format", "xml")]
    public async Task BadFlag_ExitsTwo(string flag, string value)
    {
        var file = Write("pod.yaml", "apiVersion: v1\nkind: Pod\nspec: {containers: []}\n");

        var result = await Bulwark(file, flag, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(value, result.StandardError, StringComparison.Ordinal);
    }
}
