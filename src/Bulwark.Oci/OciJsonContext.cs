using System.Text.Json.Serialization;

namespace Bulwark.Oci;

/// <summary>Source-generated JSON for the OCI types the registry writes.</summary>
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(Descriptor))]
public sealed partial class OciJsonContext : JsonSerializerContext;
