namespace Bulwark.LoadTool;

/// <summary>One kind of failure seen during a run and how often it happened.</summary>
public sealed record ErrorSample(string Message, long Count);
