default_app_config = "voucher.apps.VoucherConfig"
