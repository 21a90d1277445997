using System.Text.Json.Serialization;

namespace Bulwark.Oci;

/// <summary>Source-generated JSON for the OCI types the registry writes and analysis reads.</summary>
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(ImageConfig))]
public sealed partial class OciJsonContext : JsonSerializerContext;
