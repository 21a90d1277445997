namespace Bulwark.Server.Scanning;

/// <summary>
/// One re-matched image to store: its digest and outcome, and — when it had no matching input stored yet — the one made
/// from its whole inventory (<see cref="InventoryCodec.EncodeForMatching"/>), stored with the outcome.
/// </summary>
public sealed record RematchedImage(string Digest, ImageScanOutcome Outcome, byte[]? NewMatchInput = null);
