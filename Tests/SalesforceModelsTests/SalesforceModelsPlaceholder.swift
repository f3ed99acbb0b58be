// Tests for SalesforceModels arrive with the module's types.
import Testing
