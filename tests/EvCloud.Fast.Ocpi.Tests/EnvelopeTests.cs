using System.Net;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Protocol;
using Microsoft.AspNetCore.Http;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class EnvelopeTests
{
    private static JsonElement Written<T>(OcpiResult<T> result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            result.Write(writer, new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(2)));
        }

        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    [Fact]
    public void Success_CarriesData_Status1000_AndAUtcTimestampWithZ()
    {
        JsonElement body = Written(OcpiResults.Ok(new List<OcpiVersion> { new() { Version = "2.2.1", Url = "https://x/ocpi/2.2.1" } }, OcpiJsonContext.Default.ListOcpiVersion));

        Assert.Equal(1000, body.GetProperty("status_code").GetInt32());
        Assert.Equal("2.2.1", body.GetProperty("data")[0].GetProperty("version").GetString());
        Assert.Equal("2026-11-24T08:00:00Z", body.GetProperty("timestamp").GetString());
        Assert.False(body.TryGetProperty("status_message", out _));
    }

    [Fact]
    public void Error_HasNoDataField_AndKeepsTheMessage()
    {
        OcpiResult<object> result = OcpiResults.Error(StatusCodes.Status200OK, OcpiStatus.UnableToUseClientApi, "GET failed");
        JsonElement body = Written(result);

        Assert.False(body.TryGetProperty("data", out _));
        Assert.Equal(3001, body.GetProperty("status_code").GetInt32());
        Assert.Equal("GET failed", body.GetProperty("status_message").GetString());
    }

    [Theory]
    [InlineData(401, 2000)]
    [InlineData(400, 2001)]
    [InlineData(404, 2001)]
    public void ErrorFactories_PairHttpStatusAndOcpiStatus(int http, int ocpi)
    {
        OcpiResult<object> result = http switch
        {
            401 => OcpiResults.Unauthorized("no"),
            400 => OcpiResults.Invalid("no"),
            _ => OcpiResults.NotFound("no"),
        };

        Assert.Equal((http, ocpi), (result.HttpStatus, result.StatusCode));
    }

    [Fact]
    public void Write_OmitsNullFields_AndUsesSnakeCase()
    {
        JsonElement body = Written(OcpiResults.Ok(new Commands.CommandResponse { Result = "ACCEPTED", Timeout = 30 }, OcpiJsonContext.Default.CommandResponse));

        Assert.Equal("ACCEPTED", body.GetProperty("data").GetProperty("result").GetString());
        Assert.False(body.GetProperty("data").TryGetProperty("message", out _));
    }

    [Theory]
    [InlineData(OcpiStatus.Success, 200)]
    [InlineData(OcpiStatus.InvalidParameters, 400)] // an invalid request: as OcpiResults.Invalid
    [InlineData(OcpiStatus.UnknownLocation, 200)] // a valid request naming an unknown location in its body: no HTTP error
    [InlineData(OcpiStatus.UnknownToken, 200)]
    public void ForStatus_GivesACommandResponse_AnHttpErrorOnlyForAnInvalidRequest(int statusCode, int http)
    {
        OcpiResult<Commands.CommandResponse> result = OcpiResults.ForStatus(statusCode, "why", new Commands.CommandResponse { Result = "REJECTED" }, OcpiJsonContext.Default.CommandResponse);

        Assert.Equal((http, statusCode), (result.HttpStatus, result.StatusCode));
        Assert.Equal(http, statusCode == OcpiStatus.InvalidParameters ? OcpiResults.Invalid("x").HttpStatus : 200);
        Assert.Equal("REJECTED", Written(result).GetProperty("data").GetProperty("result").GetString());
    }

    [Fact]
    public void ClientRead_TakesStatusAndData_FromAnOcpiBody()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"data\":{\"result\":\"ACCEPTED\",\"timeout\":30},\"status_code\":1000,\"timestamp\":\"2015-06-30T21:59:59Z\"}");
        OcpiClientResponse<Commands.CommandResponse> read = OcpiClient.Read(HttpStatusCode.OK, json, OcpiJsonContext.Default.CommandResponse);

        Assert.True(read.IsSuccess);
        Assert.Equal(30, read.Data!.Timeout);
    }

    [Theory]
    [InlineData(404, "{\"data\":{\"result\":\"REJECTED\",\"timeout\":0},\"status_code\":2003,\"status_message\":\"Unknown location\",\"timestamp\":\"2015-06-30T21:59:59Z\"}", "REJECTED")] // ours: the CommandResponse with the error
    [InlineData(400, "{\"data\":\"token is missing\",\"status_code\":2001,\"status_message\":\"Invalid\",\"timestamp\":\"2015-06-30T21:59:59Z\"}", null)] // data as debugging text (§5 allows it)
    public void ClientRead_ReadsTheOcpiBodyOfAn4xxAnswer(int status, string body, string? result)
    {
        OcpiClientResponse<Commands.CommandResponse> read = OcpiClient.Read((HttpStatusCode)status, Encoding.UTF8.GetBytes(body), OcpiJsonContext.Default.CommandResponse);

        Assert.False(read.IsSuccess);
        Assert.Equal((status, body.Contains("2003", StringComparison.Ordinal) ? 2003 : 2001), (read.HttpStatus, read.StatusCode));
        Assert.NotNull(read.Message);
        Assert.Equal(result, read.Data?.Result);
    }

    [Theory]
    [InlineData(200, "{\"status_code\":2001,\"timestamp\":\"2015-06-30T21:59:59Z\"}")] // OCPI error inside HTTP 200
    [InlineData(500, "{\"status_code\":1000,\"timestamp\":\"2015-06-30T21:59:59Z\"}")] // HTTP error whatever the body says
    [InlineData(200, "<html>proxy error</html>")] // not JSON
    [InlineData(200, "[1,2]")] // JSON, but not the response object
    public void ClientRead_IsNotSuccess_ForErrorsAndNonOcpiBodies(int status, string body)
    {
        OcpiClientResponse<JsonElement> read = OcpiClient.Read((HttpStatusCode)status, Encoding.UTF8.GetBytes(body), OcpiJsonContext.Default.JsonElement);

        Assert.False(read.IsSuccess);
    }
}
