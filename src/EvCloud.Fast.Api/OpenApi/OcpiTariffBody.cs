namespace EvCloud.Fast.Api.OpenApi;

/// <summary>
/// Endpoint metadata for <see cref="ApiOperationTransformer"/>: the endpoint reads and/or writes OCPI Tariff objects
/// (<see cref="OcpiTariffSchema"/>) although its handler sees them as raw JSON.
/// </summary>
/// <param name="Request">The request body is one tariff.</param>
/// <param name="Response">The 200 body is one tariff.</param>
/// <param name="ResponseList">The 200 body is an array of tariffs.</param>
public sealed record OcpiTariffBody(bool Request = false, bool Response = false, bool ResponseList = false);
