// Tests for FerryAuth arrive with the module's types.
import Testing
