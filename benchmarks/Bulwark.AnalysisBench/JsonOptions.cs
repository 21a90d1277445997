using System.Text.Json;

namespace Bulwark.AnalysisBench;

/// <summary>How the benchmark writes an inventory for comparison (<c>BENCH_INVENTORY_JSON</c>).</summary>
internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
