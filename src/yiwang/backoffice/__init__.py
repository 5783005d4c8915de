"""The civil servants' back office (政务服务管理平台): pages only — templates and thin views."""
