using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Bulwark.Policy.Admission;

/// <summary>Writes the <c>admission.k8s.io/v1</c> AdmissionReview response kube-apiserver expects.</summary>
public static class AdmissionReviewWriter
{
    /// <summary>The validating answer: <c>uid</c>, <c>allowed</c>, <c>status {code, message}</c> and <c>warnings</c>.</summary>
    public static byte[] Validation(AdmissionDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return Write(decision.Uid, decision.Allowed, decision.Code, decision.Allowed && decision.Findings.Count == 0 ? null : decision.Message,
            decision.Warnings, null);
    }

    /// <summary>The mutating answer: always allowed, with a base64 JSONPatch when there is something to pin.</summary>
    public static byte[] Mutation(string uid, IReadOnlyList<ImagePin> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        return Write(uid, true, 200, null, [], pins.Count == 0 ? null : Patch(pins));
    }

    /// <summary>The RFC 6902 JSON Patch replacing each pinned image.</summary>
    public static byte[] Patch(IReadOnlyList<ImagePin> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var pin in pins)
            {
                json.WriteStartObject();
                json.WriteString("op", "replace");
                json.WriteString("path", pin.ImagePointer);
                json.WriteString("value", pin.PinnedImage);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Write(string uid, bool allowed, int code, string? message, IReadOnlyList<string> warnings, byte[]? patch)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", AdmissionReviewReader.ApiVersion);
            json.WriteString("kind", AdmissionReviewReader.Kind);
            json.WriteStartObject("response");
            json.WriteString("uid", uid);
            json.WriteBoolean("allowed", allowed);
            json.WriteStartObject("status");
            json.WriteNumber("code", code);
            if (message is not null)
            {
                json.WriteString("message", message);
            }

            if (!allowed)
            {
                json.WriteString("reason", "Forbidden");
            }

            json.WriteEndObject();
            if (warnings.Count > 0)
            {
                json.WriteStartArray("warnings");
                foreach (var warning in warnings)
                {
                    json.WriteStringValue(warning);
                }

                json.WriteEndArray();
            }

            if (patch is not null)
            {
                json.WriteString("patchType", "JSONPatch");
                json.WriteBase64String("patch", patch);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>UTF-8 text of <paramref name="bytes"/>, for logs and tests.</summary>
    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
