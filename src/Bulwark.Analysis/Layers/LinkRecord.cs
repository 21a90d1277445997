namespace Bulwark.Analysis.Layers;

/// <summary>A symbolic or hard link kept in the view: its target and the layer that wrote it.</summary>
internal readonly record struct LinkRecord(string Target, int Layer);
