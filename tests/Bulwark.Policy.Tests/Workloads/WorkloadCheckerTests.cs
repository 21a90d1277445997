using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Policy.Kubernetes;
using Bulwark.Policy.Workloads;
using Bulwark.Tests.Shared;

namespace Bulwark.Policy.Tests.Workloads;

public sealed class WorkloadCheckerTests
{
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: legacy
          labels:
            pod-security.kubernetes.io/enforce: baseline
            pod-security.kubernetes.io/enforce-version: v1.24
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: old, namespace: legacy}
        spec:
          template:
            spec:
              containers: [{name: app, image: x}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: new}
        spec:
          template:
            spec:
              containers: [{name: app, image: x}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: agent, namespace: ops}
        spec:
          template:
            spec:
              serviceAccountName: node-agent
              hostPID: true
              containers: [{name: agent, image: x}]
        """;

    private static WorkloadCheckReport Check(WorkloadCheckOptions? options = null) =>
        WorkloadChecker.Check(ManifestReader.Read(Manifests, "m.yaml", json: false, ManifestLimits.Default), options ?? new WorkloadCheckOptions());

    [Fact]
    public void Check_NamespaceLabel_SetsLevelAndVersion_ElseTheDefault()
    {
        var report = Check();

        Assert.Equal(4, report.ObjectCount);
        Assert.Equal(["legacy", "default", "ops"], report.Results.Select(r => r.Namespace));
        var legacy = report.Results[0];
        Assert.Equal((PodSecurityLevel.Baseline, "v1.24", "namespace", true), (legacy.Level, legacy.Version.ToString(), legacy.LevelSource, legacy.Allowed));
        var fresh = report.Results[1];
        Assert.Equal((PodSecurityLevel.Restricted, "latest", "default", false), (fresh.Level, fresh.Version.ToString(), fresh.LevelSource, fresh.Allowed));
        Assert.False(report.AllAllowed);
    }

    [Fact]
    public void Check_ExemptNamespaceUsernameAndRuntimeClass_AreNotEvaluated()
    {
        var report = Check(new WorkloadCheckOptions
        {
            Level = PodSecurityLevel.Baseline,
            Exemptions = new PodSecurityExemptions { Usernames = ["system:serviceaccount:ops:node-agent"], Namespaces = ["default"] },
        });

        Assert.All(report.Results, r => Assert.True(r.Allowed));
        Assert.Equal("namespace \"default\" is exempt", report.Results[1].Exemption);
        Assert.Equal("user \"system:serviceaccount:ops:node-agent\" is exempt", report.Results[2].Exemption);
        Assert.Empty(report.Results[2].Violations);
    }

    [Fact]
    public void Check_WithoutExemption_DeniesTheHostPidJob()
    {
        var job = Check(new WorkloadCheckOptions { Level = PodSecurityLevel.Baseline }).Results[2];

        Assert.False(job.Allowed);
        Assert.Equal("host namespaces (hostPID=true)", Assert.Single(job.Violations).ToString());
    }

    [Fact]
    public void Check_RuntimeClassExemption()
    {
        var objects = ManifestReader.Read("apiVersion: v1\nkind: Pod\nspec: {runtimeClassName: gvisor, hostIPC: true, containers: [{name: a}]}", "p.yaml", false, ManifestLimits.Default);

        var report = WorkloadChecker.Check(objects, new WorkloadCheckOptions { Exemptions = new PodSecurityExemptions { RuntimeClasses = ["gvisor"] } });

        Assert.Equal("runtime class \"gvisor\" is exempt", Assert.Single(report.Results).Exemption);
    }

    [Theory]
    [InlineData("pod-security.kubernetes.io/enforce: strict", "must be privileged, baseline or restricted")]
    [InlineData("pod-security.kubernetes.io/enforce-version: '1.30'", "must be \"latest\" or \"v1.x\"")]
    public void Check_InvalidNamespaceLabel_IsBadInput(string label, string problem)
    {
        var objects = ManifestReader.Read($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n    {label}\n", "ns.yaml", false, ManifestLimits.Default);

        var error = Assert.Throws<ManifestException>(() => WorkloadChecker.Check(objects, new WorkloadCheckOptions()));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("ns.yaml: document 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_IsValidAgainstTheSchema_WithOneResultPerViolation()
    {
        var report = Check();
        using var stream = new MemoryStream();

        await WorkloadReportWriter.WriteSarifAsync(report, stream, "1.2.3", CancellationToken.None);

        var node = JsonNode.Parse(stream.ToArray())!;
        Assert.Empty(OfficialSchemas.ValidateSarif(node.ToJsonString()));
        var results = node["runs"]![0]!["results"]!.AsArray();
        Assert.Equal(report.Results.Sum(r => r.Violations.Count), results.Count);
        Assert.All(results, r => Assert.Equal("m.yaml", (string)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!));
        Assert.Contains(results, r => (int)r!["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]! == 17);
    }

    [Fact]
    public async Task Json_CarriesTheDecisionPerWorkload()
    {
        using var stream = new MemoryStream();

        await WorkloadReportWriter.WriteJsonAsync(Check(), stream, CancellationToken.None);

        var json = JsonNode.Parse(stream.ToArray())!;
        Assert.Equal(1, (int)json["schemaVersion"]!);
        Assert.False((bool)json["allowed"]!);
        Assert.Equal([true, false, false], json["results"]!.AsArray().Select(r => (bool)r!["allowed"]!));
        Assert.Contains("workload security only", (string)json["scope"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_SaysWhatWasCheckedAndEachViolation()
    {
        var writer = new StringWriter(new StringBuilder());

        await WorkloadReportWriter.WriteTableAsync(Check(), writer, CancellationToken.None);

        var text = writer.ToString();
        Assert.StartsWith("Checked: workload security only", text, StringComparison.Ordinal);
        Assert.Contains("m.yaml:17  Deployment/new  namespace=default  restricted:latest  DENIED", text, StringComparison.Ordinal);
        Assert.Contains("[runAsNonRoot] runAsNonRoot != true (pod or container \"app\" must set securityContext.runAsNonRoot=true)", text, StringComparison.Ordinal);
        Assert.EndsWith("3 workloads in 4 objects: 1 allowed, 2 denied\n", text, StringComparison.Ordinal);
    }
}
