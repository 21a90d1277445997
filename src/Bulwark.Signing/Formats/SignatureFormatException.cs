namespace Bulwark.Signing.Formats;

/// <summary>A signature document (payload, envelope, bundle) that is malformed or over a limit.</summary>
public sealed class SignatureFormatException(string message) : Exception(message);
