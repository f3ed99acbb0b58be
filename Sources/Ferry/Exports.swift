// The umbrella module: `import Ferry` brings in every module of the SDK.
@_exported import FerryAuth
@_exported import FerryCore
@_exported import FerryDelivery
@_exported import FerryTemplating
@_exported import SalesforceModels
@_exported import SalesforceDelivery
