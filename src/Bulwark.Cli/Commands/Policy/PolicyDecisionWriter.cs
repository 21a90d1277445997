using System.Text.Json;
using Bulwark.Policy.Images;

namespace Bulwark.Cli.Commands.Policy;

/// <summary>Writes a <see cref="PolicyDecision"/> as text (one line per check and reason) or JSON.</summary>
internal static class PolicyDecisionWriter
{
    public static string CheckName(PolicyCheckKind kind) => kind switch
    {
        PolicyCheckKind.AllowedRegistries => "allowedRegistries",
        PolicyCheckKind.ApprovedBaseImages => "approvedBaseImages",
        PolicyCheckKind.RequireSignature => "requireSignature",
        PolicyCheckKind.Vulnerabilities => "vulnerabilities",
        PolicyCheckKind.Image => "image",
        _ => "provenance",
    };

    private static string ModeName(PolicyMode mode) => mode == PolicyMode.Audit ? "audit" : "enforce";

    public static async Task WriteTextAsync(TextWriter output, string image, string? digest, PolicyDecision decision, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"Image: {image}");
        if (digest is not null)
        {
            await output.WriteLineAsync($"Digest: {digest}");
        }

        await output.WriteLineAsync($"Policy: {decision.PolicyName} ({decision.PolicyHash})");
        foreach (var note in decision.Notes)
        {
            await output.WriteLineAsync($"Note: {note}");
        }

        foreach (var rule in decision.Rules)
        {
            var verdict = rule.Passed ? "PASS" : rule.Mode == PolicyMode.Audit ? "WARN" : "FAIL";
            await output.WriteLineAsync($"{verdict} rule {rule.Name} ({ModeName(rule.Mode)})");
            foreach (var check in rule.Checks)
            {
                var mark = check.Passed ? "pass" : rule.Mode == PolicyMode.Audit ? "warn" : "FAIL";
                var first = true;
                foreach (var reason in check.Reasons)
                {
                    await output.WriteLineAsync(first ? $"  {mark} {CheckName(check.Kind)}: {reason}" : $"       {new string(' ', CheckName(check.Kind).Length)}  {reason}");
                    first = false;
                }
            }
        }

        var failures = decision.Failures.Count();
        var warnings = decision.Warnings.Count();
        await output.WriteLineAsync(decision.Outcome == PolicyOutcome.Pass
            ? $"Result: PASS{(warnings > 0 ? $" with {warnings} audit warning(s)" : "")}"
            : $"Result: FAIL ({failures} enforced rule(s) failed{(warnings > 0 ? $", {warnings} audit warning(s)" : "")})");
        await output.FlushAsync(cancellationToken);
    }

    public static async Task WriteJsonAsync(TextWriter output, string image, string? digest, PolicyDecision decision, IReadOnlyList<string> problems,
        CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("image", image);
            json.WriteString("digest", digest);
            json.WriteString("outcome", decision.Outcome == PolicyOutcome.Pass ? "pass" : "fail");
            json.WriteStartObject("policy");
            json.WriteString("name", decision.PolicyName);
            json.WriteString("hash", decision.PolicyHash);
            json.WriteEndObject();
            json.WriteString("evaluatedAt", decision.EvaluatedAt);
            json.WriteStartArray("rules");
            foreach (var rule in decision.Rules)
            {
                json.WriteStartObject();
                json.WriteString("name", rule.Name);
                json.WriteString("mode", ModeName(rule.Mode));
                json.WriteBoolean("passed", rule.Passed);
                json.WriteStartArray("checks");
                foreach (var check in rule.Checks)
                {
                    json.WriteStartObject();
                    json.WriteString("kind", CheckName(check.Kind));
                    json.WriteBoolean("passed", check.Passed);
                    json.WriteStartArray("reasons");
                    foreach (var reason in check.Reasons)
                    {
                        json.WriteStringValue(reason);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (var note in decision.Notes.Concat(problems))
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        await output.FlushAsync(cancellationToken);
    }
}
