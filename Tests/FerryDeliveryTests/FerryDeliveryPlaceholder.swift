// Tests for FerryDelivery arrive with the module's types.
import Testing
