using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Inspection;

/// <summary>
/// Where an inspector reports what it found in one entry. Two kinds of result:
/// <list type="bullet">
/// <item><see cref="AddFinalViewResult"/>: belongs to the file as it is in the final view — a later layer that
/// replaces the path, a whiteout or an opaque directory deletes it, exactly like the file (executables).</item>
/// <item><see cref="AddLayerResult"/>: stays whatever later layers do, because the lower layer still ships in the
/// image (a secret deleted by a later layer can still be read from the lower layer's blob).</item>
/// </list>
/// Results are keyed by the entry's path and layer; values should not repeat them.
/// </summary>
public sealed class InspectionSink
{
    private readonly InspectionResults? results;
    private readonly ICollection<string> warnings;

    // A recording sink (an entry inspected on another thread) keeps what it is given, in order, until it is committed.
    private readonly List<(bool Final, string Path, int Layer, object Value)>? recorded;

    internal InspectionSink(InspectionResults results, ICollection<string> warnings)
    {
        this.results = results;
        this.warnings = warnings;
    }

    private InspectionSink()
    {
        warnings = new List<string>();
        recorded = [];
    }

    /// <summary>A sink that records results and warnings until <see cref="CommitTo"/>.</summary>
    internal static InspectionSink Recording() => new();

    internal LayerEntry? Entry { get; set; }

    internal string? InspectorName { get; set; }

    private LayerEntry Current => Entry ?? throw new InvalidOperationException("no entry is being inspected");

    public void AddFinalViewResult(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (recorded is not null)
        {
            recorded.Add((true, Current.Path, Current.LayerIndex, value));
        }
        else
        {
            results!.AddFinal(Current.Path, Current.LayerIndex, value);
        }
    }

    public void AddLayerResult(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (recorded is not null)
        {
            recorded.Add((false, Current.Path, Current.LayerIndex, value));
        }
        else
        {
            results!.AddLayer(Current.Path, Current.LayerIndex, value);
        }
    }

    /// <summary>Records that something limited the inspection (never put file content in it).</summary>
    public void AddWarning(string warning) => warnings.Add($"{InspectorName}: {Current.Path} (layer {Current.LayerIndex}): {warning}");

    internal void AddInspectorWarning(string warning) => warnings.Add(warning);

    /// <summary>Hands what a recording sink kept to <paramref name="target"/> and <paramref name="targetWarnings"/>, in the order it came, and empties it.</summary>
    internal void CommitTo(InspectionResults target, ICollection<string> targetWarnings)
    {
        foreach (var (final, path, layer, value) in recorded!)
        {
            if (final)
            {
                target.AddFinal(path, layer, value);
            }
            else
            {
                target.AddLayer(path, layer, value);
            }
        }

        foreach (var warning in warnings)
        {
            targetWarnings.Add(warning);
        }

        recorded.Clear();
        warnings.Clear();
    }
}
