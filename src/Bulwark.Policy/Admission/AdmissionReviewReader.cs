using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bulwark.Policy.Admission;

/// <summary>
/// Reads an <c>admission.k8s.io/v1</c> AdmissionReview request body. Anything that is not one — invalid JSON, another
/// apiVersion or kind, no <c>request.uid</c>, a field of the wrong type — is an <see cref="AdmissionReviewException"/>
/// (the endpoint answers 400), never a review that could be allowed by accident.
/// </summary>
public static class AdmissionReviewReader
{
    public const string ApiVersion = "admission.k8s.io/v1";
    public const string Kind = "AdmissionReview";

    /// <summary>Deepest JSON nesting accepted (Kubernetes objects are far shallower).</summary>
    public const int MaxDepth = 200;

    public static AdmissionRequest Read(ReadOnlyMemory<byte> body, int maxBytes)
    {
        if (body.Length > maxBytes)
        {
            throw new AdmissionReviewException($"AdmissionReview body larger than {maxBytes} bytes");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new AdmissionReviewException($"not valid JSON: {e.Message.Split(". ")[0]}", e);
        }

        if (root is not JsonObject review)
        {
            throw new AdmissionReviewException("not an AdmissionReview (the body is not a JSON object)");
        }

        var apiVersion = OptionalString(review, "apiVersion", "apiVersion");
        var kind = OptionalString(review, "kind", "kind");
        if (apiVersion != ApiVersion || kind != Kind)
        {
            throw new AdmissionReviewException($"expected apiVersion {ApiVersion} and kind {Kind}, got {apiVersion ?? "none"} and {kind ?? "none"}");
        }

        if (review["request"] is not JsonObject request)
        {
            throw new AdmissionReviewException("AdmissionReview has no request object");
        }

        var uid = OptionalString(request, "uid", "request.uid");
        if (string.IsNullOrEmpty(uid))
        {
            throw new AdmissionReviewException("request.uid is missing");
        }

        var operation = OptionalString(request, "operation", "request.operation");
        if (operation is not ("CREATE" or "UPDATE" or "DELETE" or "CONNECT"))
        {
            throw new AdmissionReviewException($"request.operation must be CREATE, UPDATE, DELETE or CONNECT, not {operation ?? "none"}");
        }

        var userInfo = Optional<JsonObject>(request, "userInfo", "request.userInfo");
        var groups = new List<string>();
        if (userInfo is not null && Optional<JsonArray>(userInfo, "groups", "request.userInfo.groups") is { } groupArray)
        {
            foreach (var group in groupArray)
            {
                groups.Add(group is JsonValue v && v.TryGetValue<string>(out var text) ? text
                    : throw new AdmissionReviewException("request.userInfo.groups: every item must be a string"));
            }
        }

        var dryRun = request["dryRun"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var flag) => flag,
            _ => throw new AdmissionReviewException("request.dryRun: must be a boolean"),
        };

        return new AdmissionRequest(
            uid,
            Gvk(request, "kind", "kind"),
            Gvk(request, "resource", "resource"),
            OptionalString(request, "subResource", "request.subResource") ?? "",
            OptionalString(request, "name", "request.name") ?? "",
            OptionalString(request, "namespace", "request.namespace") ?? "",
            operation,
            dryRun,
            userInfo is null ? "" : OptionalString(userInfo, "username", "request.userInfo.username") ?? "",
            groups,
            Optional<JsonObject>(request, "object", "request.object"),
            Optional<JsonObject>(request, "oldObject", "request.oldObject"));
    }

    private static GroupVersionKind Gvk(JsonObject request, string field, string kindField)
    {
        if (Optional<JsonObject>(request, field, $"request.{field}") is not { } gvk)
        {
            throw new AdmissionReviewException($"request.{field} is missing");
        }

        return new GroupVersionKind(
            OptionalString(gvk, "group", $"request.{field}.group") ?? "",
            OptionalString(gvk, "version", $"request.{field}.version") ?? "",
            OptionalString(gvk, kindField, $"request.{field}.{kindField}") ?? "");
    }

    private static string? OptionalString(JsonObject o, string name, string path) => o[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => throw new AdmissionReviewException($"{path}: must be a string"),
    };

    private static T? Optional<T>(JsonObject o, string name, string path)
        where T : JsonNode => o[name] switch
        {
            null => null,
            T t => t,
            _ => throw new AdmissionReviewException($"{path}: wrong type"),
        };
}
