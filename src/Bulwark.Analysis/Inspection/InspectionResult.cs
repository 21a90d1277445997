namespace Bulwark.Analysis.Inspection;

/// <summary>What an inspector reported for the entry at <paramref name="Path"/> of layer <paramref name="LayerIndex"/>.</summary>
public sealed record InspectionResult<T>(string Path, int LayerIndex, T Value);
