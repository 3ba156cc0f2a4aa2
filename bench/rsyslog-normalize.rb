version=2
# liblognorm rules for rsyslog's mmnormalize: the messages the `syslog` pipeline normalizes
# (pipelines/builtin/syslog.yaml), so that rsyslog's parsing in bench:ingest and bench:pipelines
# is equivalent to Faultline's. rsyslog's MSG of an RFC 3164 message begins with the space after the TAG's colon.

# sshd: logins, invalid users, disconnects.
rule=ssh_login: Accepted %method:word% for %user:word% from %ip:ipv4% port %port:number%%-:rest%
rule=ssh_login: Failed %method:word% for invalid user %user:word% from %ip:ipv4% port %port:number%%-:rest%
rule=ssh_login: Failed %method:word% for %user:word% from %ip:ipv4% port %port:number%%-:rest%
rule=ssh_invalid_user: Invalid user %user:word% from %ip:ipv4%%-:rest%
rule=ssh_invalid_user: Invalid user  from %ip:ipv4%%-:rest%
rule=ssh_disconnect: Received disconnect from %ip:ipv4%%-:rest%
rule=ssh_disconnect: Disconnected from %ip:ipv4%%-:rest%
rule=ssh_disconnect: Disconnected from user %user:word% %ip:ipv4%%-:rest%
rule=ssh_disconnect: Connection closed by %ip:ipv4%%-:rest%
rule=ssh_disconnect: Connection closed by invalid user %user:word% %ip:ipv4%%-:rest%
rule=ssh_disconnect: Connection closed by authenticating user %user:word% %ip:ipv4%%-:rest%

# PAM, from any service: authentication failures and sessions, with and without the module prefix.
rule=authentication_failure: authentication failure; logname= uid=%uid:number% euid=%euid:number% tty=%tty:word% ruser= rhost=%rhost:word%%-:whitespace%user=%user:word%%-:rest%
rule=authentication_failure: authentication failure; logname= uid=%uid:number% euid=%euid:number% tty=%tty:word% ruser= rhost=%rhost:word%%-:rest%
rule=authentication_failure: pam_unix(%service:char-to{"extradata":":"}%:%-:char-to{"extradata":")"}%): authentication failure; logname= uid=%uid:number% euid=%euid:number% tty=%tty:word% ruser= rhost=%rhost:word%%-:whitespace%user=%user:word%%-:rest%
rule=authentication_failure: pam_unix(%service:char-to{"extradata":":"}%:%-:char-to{"extradata":")"}%): authentication failure; logname= uid=%uid:number% euid=%euid:number% tty=%tty:word% ruser= rhost=%rhost:word%%-:rest%
rule=session_opened: session opened for user %user:word% by (uid=%-:number%)%-:rest%
rule=session_opened: session opened for user %user:word% by %by:char-to{"extradata":"("}%(uid=%-:number%)%-:rest%
rule=session_opened: session opened for user %user:word%
rule=session_closed: session closed for user %user:word%%-:rest%
rule=session_opened: pam_unix(%service:char-to{"extradata":":"}%:%-:char-to{"extradata":")"}%): session opened for user %user:word% by (uid=%-:number%)%-:rest%
rule=session_opened: pam_unix(%service:char-to{"extradata":":"}%:%-:char-to{"extradata":")"}%): session opened for user %user:word% by %by:char-to{"extradata":"("}%(uid=%-:number%)%-:rest%
rule=session_closed: pam_unix(%service:char-to{"extradata":":"}%:%-:char-to{"extradata":")"}%): session closed for user %user:word%%-:rest%

# su: BSD, util-linux and shadow-utils wordings.
rule=su: 'su %target:char-to{"extradata":"'"}%' %result:word% for %user:word% on %tty:word%
rule=su: (to %target:char-to{"extradata":")"}%) %user:word% on %tty:word%
rule=su: FAILED SU (to %target:char-to{"extradata":")"}%) %user:word% on %tty:word%
rule=su: %result:word% su for %target:word% by %user:word%

# cron: the command a job ran and the user it ran as.
rule=cron_command: (%user:char-to{"extradata":")"}%) CMD (%command:rest%
