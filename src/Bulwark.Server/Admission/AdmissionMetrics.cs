using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bulwark.Server.Admission;

/// <summary>Admission webhook instruments for Prometheus: reviews by webhook and decision, findings by rule, latency.</summary>
public sealed class AdmissionMetrics
{
    public const string MeterName = "Bulwark.Admission";

    public AdmissionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        Reviews = meter.CreateCounter<long>("bulwark.admission.reviews", "{review}",
            "Admission reviews answered, by webhook (validate, mutate, images), decision (allowed, denied, warned, skipped, patched, invalid) and dry_run");
        Findings = meter.CreateCounter<long>("bulwark.admission.findings", "{finding}", "Broken rules found by the validating webhook, by rule");
        Duration = meter.CreateHistogram<double>("bulwark.admission.duration", "s", "Time to decide one admission review, body read included");
    }

    public Counter<long> Reviews { get; }

    public Counter<long> Findings { get; }

    public Histogram<double> Duration { get; }

    public void Count(string webhook, string decision, bool dryRun, double seconds)
    {
        var tags = new TagList { { "webhook", webhook }, { "decision", decision }, { "dry_run", dryRun } };
        Reviews.Add(1, tags);
        Duration.Record(seconds, new TagList { { "webhook", webhook } });
    }
}
