using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Policy.Admission;
using Bulwark.Tests.Shared;

namespace Bulwark.Policy.Tests.Admission;

public sealed class AdmissionReviewReaderTests
{
    private static JsonObject Valid() => AdmissionReviews.Review("v1", "Pod", "pods",
        AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", AdmissionReviews.RestrictedPodSpec("a", ["b"])), dryRun: true);

    [Fact]
    public void Read_KubeApiserverShapedReview_ReadsEveryField()
    {
        var request = AdmissionReviewReader.Read(AdmissionReviews.Bytes(Valid()), AdmissionOptions.DefaultMaxRequestBytes);
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", request.Uid);
        Assert.Equal(new GroupVersionKind("", "v1", "Pod"), request.Kind);
        Assert.Equal(new GroupVersionKind("", "v1", "pods"), request.Resource);
        Assert.Equal(("web", "shop", "CREATE", true, "kubernetes-admin"), (request.Name, request.Namespace, request.Operation, request.DryRun, request.Username));
        Assert.Equal(["system:masters", "system:authenticated"], request.Groups);
        Assert.NotNull(request.NewObject);
        Assert.Null(request.OldObject);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "", "not valid JSON" },
        { "{", "not valid JSON" },
        { "[]", "not an AdmissionReview" },
        { "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{}}", "expected apiVersion admission.k8s.io/v1" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{}}", "expected apiVersion admission.k8s.io/v1 and kind AdmissionReview" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "has no request" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}", "request.uid is missing" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}}", "request.uid: must be a string" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"PATCH\"}}", "request.operation must be" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\"}}", "request.kind is missing" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_Malformed_IsAReviewError(string body, string message)
    {
        var error = Assert.Throws<AdmissionReviewException>(() => AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(body), 1024));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dryRun", "\"yes\"", "request.dryRun: must be a boolean")]
    [InlineData("object", "[]", "request.object: wrong type")]
    [InlineData("userInfo", "\"admin\"", "request.userInfo: wrong type")]
    public void Read_FieldOfWrongType_IsAReviewError(string field, string value, string message)
    {
        var review = Valid();
        review["request"]![field] = JsonNode.Parse(value);
        var error = Assert.Throws<AdmissionReviewException>(() => AdmissionReviewReader.Read(AdmissionReviews.Bytes(review), AdmissionOptions.DefaultMaxRequestBytes));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OverTheLimit_IsAReviewError()
    {
        var bytes = AdmissionReviews.Bytes(Valid());
        Assert.NotNull(AdmissionReviewReader.Read(bytes, bytes.Length));
        var error = Assert.Throws<AdmissionReviewException>(() => AdmissionReviewReader.Read(bytes, bytes.Length - 1));
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooDeep_IsAReviewError()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 300)) + string.Concat(Enumerable.Repeat("]", 300));
        var body = $"{{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{{\"uid\":\"u\",\"x\":{deep}}}}}";
        Assert.Throws<AdmissionReviewException>(() => AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(body), 1 << 20));
    }
}
