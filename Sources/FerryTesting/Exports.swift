// Test support for host applications: `import FerryTesting` in a test target brings in Ferry and its mocks.
@_exported import Ferry
